import { createHash } from 'node:crypto';
/**
 * How the simulated service behaves for one data product request: how many runs and files it yields, how long
 * processing takes, and which of the response variants seen in the wild it uses (onc-protocol.md: "where the
 * documentation and the clients disagree, both happen: handle both").
 *
 * A request's behaviour is fixed when the request is made, layered as
 * {@link defaultBehaviour} ← simulator option `behaviour` (or `setBehaviour`) ← the catalogue product's
 * `behaviour` ← the simulator option `behaviourFor(filters)`.
 */

export interface RequestError {
  errorCode: number;
  errorMessage: string;
  parameter: string;
  httpStatus?: 400 | 401;
}

export interface Behaviour {
  /** Runs the request yields when run (ONC can split one request into several). Default 1. */
  runs: number;
  /**
   * Data files each run produces, not counting the metadata file. A number applies to every run; an array gives
   * run i its own count (runs past the end reuse the last entry). Default 2.
   */
  filesPerRun: number | readonly number[];
  /** Size of every data file, in bytes. Default 4096. */
  fileSizeBytes: number;
  /**
   * `[min, max]`: each request's runs get a count of data files drawn from this inclusive range instead of
   * `filesPerRun`, the same every time for the same filters. Default null (use `filesPerRun`).
   */
  filesPerRunRange: readonly [number, number] | null;
  /**
   * `[min, max]`: each data file's size, in bytes, drawn from this inclusive range instead of `fileSizeBytes`, the
   * same every time for the same file. Default null (use `fileSizeBytes`).
   */
  fileSizeRange: readonly [number, number] | null;
  /** Whether runs have a metadata file (`index=meta`); without one, `index=meta` is a 400. Default true. */
  metadataFile: boolean;
  /** Time a run waits in ONC's task queue after run/restart, in ms. Default 100. */
  queuedMs: number;
  /** Time a run spends generating files after leaving the queue, in ms. Default 400. */
  runningMs: number;
  /** How runs end. Default 'complete'. */
  outcome: 'complete' | 'error';
  /**
   * Delay between a run completing and its files reaching the FTP server, in ms; file i arrives after
   * `ftpLagMs * i` (the metadata file last). Default 0.
   */
  ftpLagMs: number;
  /** How a download answers while its file is not on the FTP server yet: 202 (`running`) or 410. Default 202. */
  ftpLagAnswer: 202 | 410;
  /** How long a file stays on the server once on the FTP server, in ms, before clean-up removes it (then 410). Default Infinity. */
  retentionMs: number;
  /**
   * Names the server gives data files, by index (entry 0 is index 1); `null` uses ONC-style generated names.
   * Lets tests serve hostile names (`../x`, `/etc/passwd`, control characters). Default null.
   */
  fileNames: readonly string[] | null;
  /** Shape of the request answer: 'generated' (estimates) or 'archive' (numFiles, fileSize …). Default 'generated'. */
  requestShape: 'generated' | 'archive';
  /**
   * Form of estimatedFileSize / estimatedProcessingTime: 'bare' (`"11940760"`, `"21"`), 'units' (`"151 kB"`,
   * `"20 s"`, `"3 min"`) or 'prose' (ONC's "no estimate" sentences). Default 'bare'.
   */
  estimates: 'bare' | 'units' | 'prose';
  /** Warnings in the request answer's `messages`. Default []. */
  requestMessages: readonly string[];
  /** Spelling of the file count in run answers: 'fileCount' or 'filecount' (one documentation example). Default 'fileCount'. */
  fileCountKey: 'fileCount' | 'filecount';
  /** How run answers spell the running status: 'running' or 'data product running'. Default 'running'. */
  runningStatus: 'running' | 'data product running';
  /**
   * Content-Disposition filename: 'unquoted' (`filename=X.csv`, the usual), 'quoted' (`filename="X.csv"`) or
   * 'rfc6266' (`filename="ASCII fallback"; filename*=UTF-8''percent-encoded`). Default 'unquoted'.
   */
  filenameQuoting: 'unquoted' | 'quoted' | 'rfc6266';
  /** Download speed limit per response, in bytes per second; 0 is unlimited. Default 0. */
  bandwidthBytesPerSec: number;
  /**
   * Whether downloads honour `Range: bytes=N-` / `bytes=N-M` / `bytes=-N` with 206 and Content-Range (and announce
   * `Accept-Ranges: bytes`); false ignores Range and sends the whole file. Default true.
   */
  rangeSupport: boolean;
  /**
   * An error the request method answers although the filters are valid (ONC's 33 no data, 71 restricted, …).
   * `httpStatus` defaults to 400. Default null.
   */
  requestError: RequestError | null;
  /** Answer for an index past the last file of a completed run: 204 or 404 (both occur). Default 404. */
  pastLastFile: 204 | 404;
  /**
   * A second run call on the same request: 'reject' (400, `127 Search header has already run`, as documented)
   * or 'report' (the runs' current state with 200/202, which the official Python client's run-polling relies on).
   * Default 'reject'.
   */
  repeatRun: 'reject' | 'report';
}

export const defaultBehaviour: Readonly<Behaviour> = Object.freeze({
  runs: 1,
  filesPerRun: 2,
  fileSizeBytes: 4096,
  filesPerRunRange: null,
  fileSizeRange: null,
  metadataFile: true,
  queuedMs: 100,
  runningMs: 400,
  outcome: 'complete',
  ftpLagMs: 0,
  ftpLagAnswer: 202,
  retentionMs: Infinity,
  fileNames: null,
  requestShape: 'generated',
  estimates: 'bare',
  requestMessages: [],
  fileCountKey: 'fileCount',
  runningStatus: 'running',
  filenameQuoting: 'unquoted',
  bandwidthBytesPerSec: 0,
  rangeSupport: true,
  requestError: null,
  pastLastFile: 404,
  repeatRun: 'reject',
});

/** Later layers win; `undefined` fields do not override. Throws on values that make no sense. */
export function layerBehaviour(...layers: (Partial<Behaviour> | undefined)[]): Behaviour {
  const out: Behaviour = { ...defaultBehaviour };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
    }
  }
  checkBehaviour(out);
  return out;
}

/** The allowed values of every enumerated field (checked, since behaviour also arrives as JSON). */
const CHOICES: Record<string, readonly unknown[]> = {
  outcome: ['complete', 'error'],
  ftpLagAnswer: [202, 410],
  requestShape: ['generated', 'archive'],
  estimates: ['bare', 'units', 'prose'],
  fileCountKey: ['fileCount', 'filecount'],
  runningStatus: ['running', 'data product running'],
  filenameQuoting: ['unquoted', 'quoted', 'rfc6266'],
  pastLastFile: [204, 404],
  repeatRun: ['reject', 'report'],
  metadataFile: [true, false],
  rangeSupport: [true, false],
};

function checkBehaviour(b: Behaviour): void {
  const nonNegativeInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`behaviour.${name} must be a non-negative integer, got ${v}`);
  };
  const nonNegative = (name: string, v: number) => {
    if (!(v >= 0)) throw new RangeError(`behaviour.${name} must be >= 0, got ${v}`);
  };
  if (!Number.isInteger(b.runs) || b.runs < 1)
    throw new RangeError(`behaviour.runs must be an integer >= 1, got ${b.runs}`);
  const counts = typeof b.filesPerRun === 'number' ? [b.filesPerRun] : b.filesPerRun;
  if (counts.length === 0) throw new RangeError('behaviour.filesPerRun must not be an empty list');
  counts.forEach((n) => nonNegativeInt('filesPerRun', n));
  nonNegativeInt('fileSizeBytes', b.fileSizeBytes);
  nonNegative('queuedMs', b.queuedMs);
  nonNegative('runningMs', b.runningMs);
  nonNegative('ftpLagMs', b.ftpLagMs);
  nonNegative('retentionMs', b.retentionMs);
  nonNegative('bandwidthBytesPerSec', b.bandwidthBytesPerSec);
  for (const [name, allowed] of Object.entries(CHOICES)) {
    const value = (b as unknown as Record<string, unknown>)[name];
    if (!allowed.includes(value))
      throw new RangeError(`behaviour.${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  const e = b.requestError;
  if (
    e !== null &&
    (typeof e !== 'object' ||
      typeof e.errorCode !== 'number' ||
      typeof e.errorMessage !== 'string' ||
      typeof e.parameter !== 'string')
  )
    throw new RangeError('behaviour.requestError must be null or {errorCode, errorMessage, parameter, httpStatus?}');
  for (const name of ['filesPerRunRange', 'fileSizeRange'] as const) {
    const range = b[name];
    if (range === null) continue;
    if (!Array.isArray(range) || range.length !== 2 || !(range[0] <= range[1]))
      throw new RangeError(`behaviour.${name} must be null or [min, max] with min <= max`);
    range.forEach((n) => nonNegativeInt(name, n));
  }
  if (b.fileNames !== null && !Array.isArray(b.fileNames))
    throw new RangeError('behaviour.fileNames must be a list or null');
}

/** A number in [min, max] that depends only on `seed`: the same filters always draw the same. */
export function drawFromRange(range: readonly [number, number], seed: string): number {
  const word = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return range[0] + (word % (range[1] - range[0] + 1));
}

/** Data files run number `runOrdinal` (0-based) of a request produces; `seed` names the request's run. */
export function filesForRun(b: Behaviour, runOrdinal: number, seed = ''): number {
  if (b.filesPerRunRange) return drawFromRange(b.filesPerRunRange, `${seed}|count`);
  if (typeof b.filesPerRun === 'number') return b.filesPerRun;
  return b.filesPerRun[Math.min(runOrdinal, b.filesPerRun.length - 1)] ?? 0;
}
