/**
 * The `onc-sim` command's program: parses arguments, starts a simulator, prints where it listens and (unless
 * quiet) one line per call with the token redacted. Separate from cli.ts so tests can run it in-process.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ArchiveOptions } from './archive/archive-options.js';
import type { Behaviour } from './behaviour.js';
import type { RecordedCall } from './call-log.js';
import type { ChaosOptions } from './chaos.js';
import type { DiscoveryOptions } from './discovery/discovery-options.js';
import { OncSimulator } from './simulator.js';

export const DEFAULT_CLI_PORT = 8765;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const intArg =
  (name: string) =>
  (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return Number(value);
  };

const idArg =
  (name: string) =>
  (value: string): number => {
    const id = /^\d+$/.test(value) ? Number(value) : 0;
    if (id < 1 || !Number.isSafeInteger(id)) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return id;
  };

const rangeArg =
  (name: string) =>
  (value: string): [number, number] => {
    const parts = value.split(',').map((part) => intArg(name)(part.trim()));
    const [min, max] = parts;
    if (parts.length !== 2 || min === undefined || max === undefined || min > max) {
      throw new InvalidArgumentError(`${name} must be min,max with min <= max`);
    }
    return [min, max];
  };

const countsArg = (value: string): number | number[] => {
  const parts = value.split(',').map((p) => intArg('files per run')(p.trim()));
  return parts.length === 1 ? (parts[0] ?? 0) : parts;
};

function jsonObjectArg(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError('must be a JSON object');
  return parsed as Record<string, unknown>;
}

interface CliOptions {
  host: string;
  port: number;
  token?: string[];
  quiet: boolean;
  latencyMs: number;
  chaos?: Record<string, unknown>;
  behaviour?: Record<string, unknown>;
  firstRequestId?: number;
  firstRunId?: number;
  runs?: number;
  filesPerRun?: number | number[];
  fileSize?: number;
  filesPerRunRange?: [number, number];
  fileSizeRange?: [number, number];
  queuedMs?: number;
  runningMs?: number;
  processingMs?: number;
  bandwidth?: number;
  rangeSupport: boolean;
  ftpLagMs?: number;
  ftpLagAnswer?: string;
  retentionMs?: number;
  outcome?: string;
  metadata: boolean;
  estimates?: string;
  fileCountKey?: string;
  runningStatus?: string;
  filenameQuoting?: string;
  pastLastFile?: string;
  repeatRun?: string;
  archive?: Record<string, unknown>;
  archivePaging?: string;
  archiveTokenEcho: boolean;
  archiveGzip?: string;
  archiveFileSize?: number;
  discovery?: Record<string, unknown>;
  discoveryStringBooleans: boolean;
  discoveryOptionNames?: string;
}

function buildProgram(io: CliIo): Command {
  return (
    new Command()
      .name('onc-sim')
      .description(
        "Simulates ONC's dataProductDelivery service (request, status, run, download, cancel, restart), its " +
          'archivefile service (archivefile/location, /device, /download; archivefiles?method=…) and its discovery ' +
          'services (locations, devices, deviceCategories, properties, dataProducts, deployments).',
      )
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
      .option('--host <host>', 'interface to listen on', '127.0.0.1')
      .option('--port <port>', 'TCP port (0 = any free port)', intArg('port'), DEFAULT_CLI_PORT)
      .option('--token <token...>', 'accepted API tokens (default: any non-empty token)')
      .option('--quiet', 'do not print a line per call', false)
      .option('--latency-ms <ms>', 'delay before every answer', intArg('latency ms'), 0)
      .option(
        '--chaos <json>',
        'seeded random faults, e.g. {"seed":1,"http500":0.05,"resetMidBody":0.1}',
        jsonObjectArg,
      )
      .option('--runs <n>', 'runs per request (default 1)', intArg('runs'))
      .option('--files-per-run <n[,n…]>', 'data files per run, or one count per run (default 2)', countsArg)
      .option('--file-size <bytes>', 'size of each data file in bytes (default 4096)', intArg('file size'))
      .option(
        '--files-per-run-range <min,max>',
        'data files per run drawn from this range, the same for the same filters (instead of --files-per-run)',
        rangeArg('files per run range'),
      )
      .option(
        '--file-size-range <min,max>',
        'size of each data file drawn from this range of bytes, the same for the same file (instead of --file-size)',
        rangeArg('file size range'),
      )
      .option('--queued-ms <ms>', 'time a run waits in the task queue (default 100)', intArg('queued ms'))
      .option('--running-ms <ms>', 'time a run spends generating (default 400)', intArg('running ms'))
      .option('--processing-ms <ms>', 'same as --running-ms', intArg('processing ms'))
      .option(
        '--bandwidth <bytes-per-sec>',
        'download speed limit per response (default unlimited)',
        intArg('bandwidth'),
      )
      .option('--no-range-support', 'ignore Range headers and always send whole files')
      .option('--ftp-lag-ms <ms>', 'delay per file before it reaches the FTP server (default 0)', intArg('ftp lag ms'))
      .addOption(new Option('--ftp-lag-answer <status>', 'download answer during the FTP lag').choices(['202', '410']))
      .option('--retention-ms <ms>', 'how long files stay on the server (default forever)', intArg('retention ms'))
      .addOption(new Option('--outcome <outcome>', 'how runs end').choices(['complete', 'error']))
      .option('--no-metadata', 'runs have no metadata file (index=meta is a 400)')
      .addOption(new Option('--estimates <style>', 'request estimate strings').choices(['bare', 'units', 'prose']))
      .addOption(
        new Option('--file-count-key <key>', 'file count spelling in run answers').choices(['fileCount', 'filecount']),
      )
      .addOption(
        new Option('--running-status <text>', 'running status wording').choices(['running', 'data product running']),
      )
      .addOption(
        new Option('--filename-quoting <q>', 'Content-Disposition filename form').choices([
          'unquoted',
          'quoted',
          'rfc6266',
        ]),
      )
      .addOption(new Option('--past-last-file <status>', 'answer past the last file').choices(['204', '404']))
      .addOption(new Option('--repeat-run <mode>', 'second run call on a request').choices(['reject', 'report']))
      .option('--behaviour <json>', 'any behaviour fields as a JSON object (flags above win)', jsonObjectArg)
      // ONC never hands out an id twice. A simulator restarted against a database that keeps the ids of its last life
      // must not either: give it ids past those (the demo derives them from the clock).
      .option('--first-request-id <id>', 'first dpRequestId handed out (default 3000001)', idArg('first request id'))
      .option('--first-run-id <id>', 'first dpRunId handed out (default 10000001)', idArg('first run id'))
      .addOption(
        new Option('--archive-paging <mode>', 'how archive listings ask for the next page (default page)').choices([
          'page',
          'dateFrom',
        ]),
      )
      .option('--no-archive-token-echo', 'archive listings leave the token out of next and queryUrl')
      .addOption(
        new Option('--archive-gzip <mode>', 'how gz archive files download (default decompressed)').choices([
          'decompressed',
          'stored',
        ]),
      )
      .option(
        '--archive-file-size <bytes>',
        'size of every archive file (default: per kind)',
        intArg('archive file size'),
      )
      .option('--archive <json>', 'any archive options as a JSON object (flags above win)', jsonObjectArg)
      .option('--discovery-string-booleans', 'discovery answers write hasDeviceData/hasPropertyData as strings', false)
      .addOption(
        new Option('--discovery-option-names <form>', 'dataProducts option names (default bare)').choices([
          'bare',
          'dpo_',
        ]),
      )
      .option('--discovery <json>', 'any discovery options as a JSON object (flags above win)', jsonObjectArg)
  );
}

function behaviourFrom(o: CliOptions): Partial<Behaviour> {
  const b: Partial<Behaviour> = { ...(o.behaviour as Partial<Behaviour>) };
  const set = <K extends keyof Behaviour>(key: K, value: Behaviour[K] | undefined) => {
    if (value !== undefined) b[key] = value;
  };
  set('runs', o.runs);
  set('filesPerRun', o.filesPerRun);
  set('fileSizeBytes', o.fileSize);
  set('filesPerRunRange', o.filesPerRunRange);
  set('fileSizeRange', o.fileSizeRange);
  set('queuedMs', o.queuedMs);
  set('runningMs', o.runningMs ?? o.processingMs);
  set('bandwidthBytesPerSec', o.bandwidth);
  if (!o.rangeSupport) b.rangeSupport = false;
  set('ftpLagMs', o.ftpLagMs);
  set('ftpLagAnswer', o.ftpLagAnswer === undefined ? undefined : (Number(o.ftpLagAnswer) as 202 | 410));
  set('retentionMs', o.retentionMs);
  set('outcome', o.outcome as Behaviour['outcome'] | undefined);
  if (!o.metadata) b.metadataFile = false;
  set('estimates', o.estimates as Behaviour['estimates'] | undefined);
  set('fileCountKey', o.fileCountKey as Behaviour['fileCountKey'] | undefined);
  set('runningStatus', o.runningStatus as Behaviour['runningStatus'] | undefined);
  set('filenameQuoting', o.filenameQuoting as Behaviour['filenameQuoting'] | undefined);
  set('pastLastFile', o.pastLastFile === undefined ? undefined : (Number(o.pastLastFile) as 204 | 404));
  set('repeatRun', o.repeatRun as Behaviour['repeatRun'] | undefined);
  return b;
}

function archiveFrom(o: CliOptions): Partial<ArchiveOptions> {
  const a: Partial<ArchiveOptions> = { ...(o.archive as Partial<ArchiveOptions>) };
  if (o.archivePaging !== undefined) a.paging = o.archivePaging as ArchiveOptions['paging'];
  if (!o.archiveTokenEcho) a.echoToken = false;
  if (o.archiveGzip !== undefined) a.gzipDownload = o.archiveGzip as ArchiveOptions['gzipDownload'];
  if (o.archiveFileSize !== undefined) a.fileSizeBytes = o.archiveFileSize;
  return a;
}

function discoveryFrom(o: CliOptions): Partial<DiscoveryOptions> {
  const d: Partial<DiscoveryOptions> = { ...(o.discovery as Partial<DiscoveryOptions>) };
  if (o.discoveryStringBooleans) d.stringBooleans = true;
  if (o.discoveryOptionNames !== undefined) d.optionNames = o.discoveryOptionNames as DiscoveryOptions['optionNames'];
  return d;
}

export const formatCall = (c: RecordedCall): string =>
  `${c.httpMethod} ${c.url} -> ${c.status ?? 'dropped'}${c.fault ? ` [fault: ${c.fault}]` : ''}` +
  (c.bodyBytes > 0 ? ` (${c.bodyBytes} bytes)` : '');

/**
 * Parses `argv` (arguments only, without `node` and the script) and starts the simulator.
 * Throws commander's error for bad arguments (after printing usage to `io.err`) and for `--help`.
 */
export async function startFromCli(argv: readonly string[], io: CliIo): Promise<OncSimulator> {
  const program = buildProgram(io);
  program.parse([...argv], { from: 'user' });
  const o = program.opts<CliOptions>();
  const sim = await OncSimulator.start({
    host: o.host,
    port: o.port,
    behaviour: behaviourFrom(o),
    archive: archiveFrom(o),
    discovery: discoveryFrom(o),
    latencyMs: o.latencyMs,
    ...(o.firstRequestId ? { firstRequestId: o.firstRequestId } : {}),
    ...(o.firstRunId ? { firstRunId: o.firstRunId } : {}),
    ...(o.token ? { tokens: o.token } : {}),
    ...(o.chaos ? { chaos: o.chaos as unknown as ChaosOptions } : {}),
    ...(o.quiet ? {} : { onCall: (call: RecordedCall) => io.out(formatCall(call)) }),
  });
  // Tokens are never printed, not even the simulator's own.
  const tokens = o.token ? `${o.token.length} accepted token(s)` : 'any non-empty token';
  io.out(`onc-sim listening on ${sim.url} (service ${sim.serviceUrl}; ${tokens}; control ${sim.url}_sim/)`);
  return sim;
}
