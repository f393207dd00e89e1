/**
 * The `webcoos-sim` command's program: parses arguments, starts a simulator, prints where it listens and (unless
 * quiet) one line per call. Separate from cli.ts so tests can run it in process. Tokens are never printed.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RecordedCall } from './call-log.js';
import { isInventoryColumn, type InventoryColumn } from './inventory.js';
import type { InsertAfterPageRule } from './listing-insertions.js';
import { WebcoosSimulator, type WebcoosSimulatorOptions } from './simulator.js';

export const DEFAULT_CLI_PORT = 8767;
export const DEFAULT_CLI_MEDIA_PORT = 8768;

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

const listArg = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

function columnsArg(value: string): InventoryColumn[] {
  const columns = listArg(value);
  const bad = columns.filter((c) => !isInventoryColumn(c));
  if (bad.length > 0) throw new InvalidArgumentError(`unknown inventory columns: ${bad.join(', ')}`);
  return columns as InventoryColumn[];
}

function insertRuleArg(value: string): InsertAfterPageRule {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('must be a JSON object like {"afterPage":2,"count":5}');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { afterPage?: unknown }).afterPage !== 'number'
  )
    throw new InvalidArgumentError('must be a JSON object with a numeric afterPage');
  return parsed as InsertAfterPageRule;
}

interface CliOptions {
  host: string;
  port: number;
  mediaPort: number;
  token?: string[];
  quiet: boolean;
  from?: string;
  to?: string;
  emptyDays?: string[];
  stillsPerDay?: number;
  stillBytes?: number;
  videoBytes?: number;
  assetsPageSize?: number;
  elementsPageSize?: number;
  maxPageSize?: number;
  defaultOrdering?: 'starting' | '-starting';
  inventoryColumns?: InventoryColumn[];
  sizeField?: string;
  durationField?: string;
  durationFormat?: 'seconds' | 'iso';
  encodeColons: boolean;
  mediaPublicUrl?: string;
  latencyMs: number;
  rateLimit?: number;
  retryAfter: boolean;
  rangeSupport: boolean;
  mediaBandwidth?: number;
  mediaAuthorization?: 'reject' | 'ignore';
  insertAfterPage?: InsertAfterPageRule;
}

function buildProgram(io: CliIo): Command {
  return new Command()
    .name('webcoos-sim')
    .description('Simulates the WebCOOS API v1 (assets, inventory, elements) and the media host serving its files.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'API port (0 = any free port)', intArg('port'), DEFAULT_CLI_PORT)
    .option('--media-port <port>', 'media host port (0 = any free port)', intArg('media port'), DEFAULT_CLI_MEDIA_PORT)
    .option('--token <token...>', 'accepted API tokens (default: the DEFAULT_WEBCOOS_TOKEN constant)')
    .option('--quiet', 'do not print a line per call', false)
    .option('--from <day>', 'first day of the archive, YYYY-MM-DD, inclusive (default 2024-06-01)')
    .option('--to <day>', 'day after the last, YYYY-MM-DD, exclusive (default 2024-06-08)')
    .option('--empty-days <days>', 'comma-separated days without data (default 2024-06-03)', listArg)
    .option(
      '--stills-per-day <n>',
      'daylight minutes per day, 0..1440 (default 332..1308, varying)',
      intArg('stills per day'),
    )
    .option('--still-bytes <bytes>', 'size of every still (default 222000..365000, varying)', intArg('still bytes'))
    .option('--video-bytes <bytes>', 'size of every video (default 55e6..70e6, varying)', intArg('video bytes'))
    .option('--assets-page-size <n>', 'default page size of /assets/ (default 3)', intArg('assets page size'))
    .option('--elements-page-size <n>', 'default page size of /elements/ (default 100)', intArg('elements page size'))
    .option('--max-page-size <n>', 'largest page_size honoured (default 1000)', intArg('max page size'))
    .addOption(
      new Option('--default-ordering <order>', 'elements order without ?ordering= (default -starting)').choices([
        'starting',
        '-starting',
      ]),
    )
    .option('--inventory-columns <columns>', 'comma-separated inventory columns, in order', columnsArg)
    .option('--size-field <name>', 'element property holding the size in bytes (default size)')
    .option('--duration-field <name>', 'element property holding a video duration (default duration)')
    .addOption(new Option('--duration-format <format>', 'duration as seconds or ISO 8601').choices(['seconds', 'iso']))
    .option('--encode-colons', 'write colons in file URLs as %3A', false)
    .option('--media-public-url <url>', 'media base URL written into element URLs (default the media host URL)')
    .option('--latency-ms <ms>', 'delay before every API answer', intArg('latency ms'), 0)
    .option('--rate-limit <per-second>', 'API requests allowed per second (429 beyond)', intArg('rate limit'))
    .option('--no-retry-after', 'send no Retry-After header with 429s')
    .option('--no-range-support', 'media host ignores Range and always sends whole files')
    .option('--media-bandwidth <bytes-per-sec>', 'speed limit per download (default none)', intArg('media bandwidth'))
    .addOption(
      new Option('--media-authorization <policy>', 'media host and an Authorization header (default reject)').choices([
        'reject',
        'ignore',
      ]),
    )
    .option(
      '--insert-after-page <json>',
      'late arrivals, e.g. {"afterPage":2,"count":5,"times":"Infinity"}',
      insertRuleArg,
    );
}

function simulatorOptions(o: CliOptions): WebcoosSimulatorOptions {
  const options: WebcoosSimulatorOptions = {
    host: o.host,
    port: o.port,
    mediaPort: o.mediaPort,
    latencyMs: o.latencyMs,
    rangeSupport: o.rangeSupport,
    encodeColonsInUrls: o.encodeColons,
  };
  if (o.token) options.tokens = o.token;
  if (o.mediaPublicUrl !== undefined) options.mediaPublicUrl = o.mediaPublicUrl;
  if (o.from !== undefined || o.to !== undefined || o.emptyDays !== undefined)
    options.archive = {
      ...(o.from === undefined ? {} : { from: o.from }),
      ...(o.to === undefined ? {} : { to: o.to }),
      ...(o.emptyDays === undefined ? {} : { emptyDays: o.emptyDays }),
    };
  if (o.stillsPerDay !== undefined) options.stillsPerDay = o.stillsPerDay;
  if (o.stillBytes !== undefined) options.stillBytes = o.stillBytes;
  if (o.videoBytes !== undefined) options.videoBytes = o.videoBytes;
  if (o.assetsPageSize !== undefined) options.assetsPageSize = o.assetsPageSize;
  if (o.elementsPageSize !== undefined) options.elementsPageSize = o.elementsPageSize;
  if (o.maxPageSize !== undefined) options.maxPageSize = o.maxPageSize;
  if (o.defaultOrdering !== undefined) options.defaultOrdering = o.defaultOrdering;
  if (o.inventoryColumns !== undefined) options.inventoryColumns = o.inventoryColumns;
  const fieldNames = {
    ...(o.sizeField === undefined ? {} : { size: o.sizeField }),
    ...(o.durationField === undefined ? {} : { duration: o.durationField }),
    ...(o.durationFormat === undefined ? {} : { durationFormat: o.durationFormat }),
  };
  if (Object.keys(fieldNames).length > 0) options.elementFieldNames = fieldNames;
  if (o.rateLimit !== undefined) options.rateLimit = { perSecond: o.rateLimit, retryAfter: o.retryAfter };
  if (o.mediaBandwidth !== undefined) options.mediaBytesPerSecond = o.mediaBandwidth;
  if (o.mediaAuthorization !== undefined) options.mediaAuthorization = o.mediaAuthorization;
  if (o.insertAfterPage !== undefined) {
    const times = (o.insertAfterPage as { times?: unknown }).times;
    options.insertDuringListing = { ...o.insertAfterPage, ...(times === 'Infinity' ? { times: Infinity } : {}) };
  }
  return options;
}

export const formatCall = (c: RecordedCall): string =>
  `${c.host} ${c.method} ${c.url} -> ${c.status ?? 'dropped'}${c.fault ? ` [fault: ${c.fault}]` : ''}` +
  `${c.throttled ? ' [throttled]' : ''}${c.bodyBytes > 0 ? ` (${c.bodyBytes} bytes)` : ''}` +
  `${c.host === 'media' && c.authorizationSent ? ' [Authorization header sent]' : ''}`;

/**
 * Parses `argv` (arguments only, without `node` and the script) and starts the simulator. Throws commander's error
 * for bad arguments (after printing usage to `io.err`) and for `--help`, and a RangeError for invalid values.
 */
export async function startFromCli(argv: readonly string[], io: CliIo): Promise<WebcoosSimulator> {
  const program = buildProgram(io);
  program.parse([...argv], { from: 'user' });
  const o = program.opts<CliOptions>();
  const sim = await WebcoosSimulator.start({
    ...simulatorOptions(o),
    ...(o.quiet ? {} : { onCall: (call: RecordedCall) => io.out(formatCall(call)) }),
  });
  io.out(`webcoos-sim listening on ${sim.url} (media ${sim.mediaUrl})`);
  const tokens = o.token ? `${o.token.length} accepted token(s)` : 'the default token DEFAULT_WEBCOOS_TOKEN';
  io.out(`accepting ${tokens}; control ${sim.controlUrl}/`);
  return sim;
}
