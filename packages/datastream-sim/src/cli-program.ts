/**
 * The `datastream-sim` command's program: parses arguments, starts a simulator, prints where it listens and
 * (unless quiet) one line per call. Separate from cli.ts so tests can run it in-process. API keys are never
 * printed (the default one is named, not shown).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RecordedCall } from './call-log.js';
import type { RateLimitSettings } from './rate-limiter.js';
import { DataStreamSimulator, type DataStreamSimulatorOptions } from './simulator.js';
import type { NextLinkPlacement } from './service-settings.js';

export const DEFAULT_CLI_PORT = 8766;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const intArg =
  (name: string, min = 0) =>
  (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new InvalidArgumentError(`${name} must be a whole number >= ${min}`);
    return Number(value);
  };

const signedIntArg =
  (name: string) =>
  (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    return Number(value);
  };

function rangeArg(value: string): [number, number] {
  const parts = value.split(',').map((p) => intArg('observations per location')(p.trim()));
  const [min, max] = parts.length === 1 ? [parts[0] ?? 0, parts[0] ?? 0] : parts;
  if (parts.length > 2 || min === undefined || max === undefined || max < min)
    throw new InvalidArgumentError('give N or MIN,MAX with MIN <= MAX');
  return [min, max];
}

interface CliOptions {
  host: string;
  port: number;
  apiKey?: string[];
  seed?: number;
  datasets?: number;
  locations?: number;
  observationsPerLocation?: [number, number];
  rateLimit: boolean;
  requestsPerSecond?: number;
  maxInFlight?: number;
  retryAfter: boolean;
  legacy403: boolean;
  nextLinkIn?: string;
  nextLinkOrigin?: string;
  latencyMs?: number;
  timeoutAboveTop?: number;
  timeoutStatus?: string;
  timeoutDelayMs?: number;
  tooLargeAboveTop?: number;
  tooLargeAboveBytes?: number;
  compression: boolean;
  countEstimateAbove?: number;
  omitNulls: boolean;
  quiet: boolean;
}

function buildProgram(io: CliIo): Command {
  return new Command()
    .name('datastream-sim')
    .description("Simulates DataStream's public OData v4 API (Metadata, Locations, Observations, Records).")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 = any free port)', intArg('port'), DEFAULT_CLI_PORT)
    .option('--api-key <key...>', 'accepted x-api-key values (default: the DEFAULT_DATASTREAM_API_KEY constant)')
    .option('--seed <n>', 'seed of the generated data (default 1)', signedIntArg('seed'))
    .option('--datasets <n>', 'number of datasets / DOIs (default 5)', intArg('datasets', 1))
    .option('--locations <n>', 'number of monitoring locations (default 40)', intArg('locations'))
    .option(
      '--observations-per-location <n|min,max>',
      'observations per location, exact or a range (default 5000,15000)',
      rangeArg,
    )
    .option('--no-rate-limit', 'accept any rate and any number of parallel requests')
    .option(
      '--requests-per-second <n>',
      'requests a key may start per second (default 2)',
      intArg('requests per second', 1),
    )
    .option('--max-in-flight <n>', 'requests a key may have in flight (default 1)', intArg('max in flight', 1))
    .option('--no-retry-after', 'send 429 without a Retry-After header')
    .option('--legacy-403', 'answer 403 instead of 429 over the limit (the pre-2025 behaviour)', false)
    .addOption(
      new Option('--next-link-in <where>', 'where the next link goes (default both)').choices([
        'both',
        'body',
        'header',
      ]),
    )
    .option('--next-link-origin <origin>', 'origin of next links (default: the request Host)')
    .option('--latency-ms <ms>', 'delay before every answer (default 0)', intArg('latency ms'))
    .option('--timeout-above-top <n>', 'answer a timeout when $top is above n', intArg('timeout above top'))
    .addOption(new Option('--timeout-status <status>', 'the timeout status (default 504)').choices(['408', '504']))
    .option('--timeout-delay-ms <ms>', 'how long a timeout answer takes (default 0)', intArg('timeout delay ms'))
    .option('--too-large-above-top <n>', 'answer 413 when $top is above n', intArg('too large above top'))
    .option(
      '--too-large-above-bytes <n>',
      'answer 413 when a page would exceed n bytes',
      intArg('too large above bytes'),
    )
    .option('--no-compression', 'never compress answers')
    .option('--count-estimate-above <n>', '$count answers above n are estimates', intArg('count estimate above'))
    .option('--omit-nulls', 'leave null fields out of rows', false)
    .option('--quiet', 'do not print a line per call', false);
}

export function optionsFrom(o: CliOptions): DataStreamSimulatorOptions {
  const rateLimit: Partial<RateLimitSettings> | false = o.rateLimit
    ? {
        retryAfter: o.retryAfter,
        legacy403: o.legacy403,
        ...(o.requestsPerSecond === undefined ? {} : { requestsPerSecond: o.requestsPerSecond }),
        ...(o.maxInFlight === undefined ? {} : { maxInFlight: o.maxInFlight }),
      }
    : false;
  const defined = <T extends object>(value: T): Partial<T> =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    host: o.host,
    port: o.port,
    rateLimit,
    compression: o.compression,
    omitNulls: o.omitNulls,
    ...defined({
      apiKeys: o.apiKey,
      seed: o.seed,
      datasets: o.datasets,
      locations: o.locations,
      observationsPerLocation: o.observationsPerLocation,
      nextLinkIn: o.nextLinkIn as NextLinkPlacement | undefined,
      nextLinkOrigin: o.nextLinkOrigin,
      latencyMs: o.latencyMs,
      timeoutAboveTop: o.timeoutAboveTop,
      timeoutStatus: o.timeoutStatus === undefined ? undefined : (Number(o.timeoutStatus) as 408 | 504),
      timeoutDelayMs: o.timeoutDelayMs,
      tooLargeAboveTop: o.tooLargeAboveTop,
      tooLargeAboveBytes: o.tooLargeAboveBytes,
      countEstimateAbove: o.countEstimateAbove,
    }),
  };
}

export const formatCall = (c: RecordedCall): string =>
  `${c.method} ${c.path}${c.rawQuery ? `?${c.rawQuery}` : ''} -> ${c.status ?? 'dropped'}` +
  (c.fault ? ` [fault: ${c.fault}]` : '') +
  (c.refusal ? ` [${c.refusal}]` : '') +
  ` (${c.rows} rows, ${c.bytesSent} bytes)`;

/**
 * Parses `argv` (arguments only, without `node` and the script) and starts the simulator.
 * Throws commander's error for bad arguments (after printing usage to `io.err`) and for `--help`.
 */
export async function startFromCli(argv: readonly string[], io: CliIo): Promise<DataStreamSimulator> {
  const program = buildProgram(io);
  program.parse([...argv], { from: 'user' });
  const o = program.opts<CliOptions>();
  const sim = await DataStreamSimulator.start({
    ...optionsFrom(o),
    ...(o.quiet ? {} : { onCall: (call: RecordedCall) => io.out(formatCall(call)) }),
  });
  const summary = sim.summary();
  const keys = o.apiKey
    ? `${o.apiKey.length} accepted api key(s)`
    : 'accepts the default api key (DEFAULT_DATASTREAM_API_KEY)';
  io.out(
    `datastream-sim listening on ${sim.url} (${summary.datasets} datasets, ${summary.locations} locations, ` +
      `${summary.observations} observations, seed ${summary.seed}; ${keys}; control ${sim.origin}/_sim/)`,
  );
  return sim;
}
