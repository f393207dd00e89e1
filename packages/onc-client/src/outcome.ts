import type { Readable } from 'node:stream';
import type { OncCancelledError } from './errors/onc-cancelled-error.js';
import type { OncGoneError } from './errors/onc-gone-error.js';
import type { OncRejectedError } from './errors/onc-rejected-error.js';
import type { OncRunFailedError } from './errors/onc-run-failed-error.js';
import type { OncTransientError } from './errors/onc-transient-error.js';
import type { OncErrorDetail } from './onc-error-detail.js';
import type { ArchiveListing } from './answer/archive-listing.js';

/**
 * What a call came to, in the terms a caller acts on:
 * - ok: done; `value` holds the answer.
 * - notReady: ONC is still working (HTTP 202); poll again later.
 * - endOfFiles: a download index past the last file (204 or 404).
 * - gone: a download answered 410 (see OncGoneError for why it is not always final).
 * - runFailed: the data product run is in status "error"; polling cannot help.
 * - cancelled: a download from a cancelled run.
 * - rejected: ONC refused the input (400/401/other 4xx); never retry.
 * - transient: 5xx, 429, resets, timeouts; retry with backoff.
 */
export type OutcomeKind =
  'ok' | 'notReady' | 'endOfFiles' | 'gone' | 'runFailed' | 'cancelled' | 'rejected' | 'transient';

export type OncOutcome<T> =
  | { kind: 'ok'; httpStatus: number; value: T }
  | { kind: 'notReady'; httpStatus: 202; status: string; message: string; value?: T }
  | { kind: 'endOfFiles'; httpStatus: 204 | 404 }
  | { kind: 'gone'; httpStatus: 410; error: OncGoneError }
  | { kind: 'runFailed'; httpStatus: number; message: string; error: OncRunFailedError }
  | { kind: 'cancelled'; httpStatus: 400; error: OncCancelledError }
  // 400 and 401 are what ONC sends; other 4xx (403 from a proxy, 404 on a wrong base URL) land here too.
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
  | { kind: 'rejected'; httpStatus: 400 | 401 | number; errors: OncErrorDetail[]; error: OncRejectedError }
  | { kind: 'transient'; httpStatus?: number; retryAfterMs?: number; error: OncTransientError };

/** ONC request filters: dataProductCode, extension, locationCode, deviceCategoryCode, deviceCode, propertyCode, dateFrom, dateTo, dpo_*. */
export type OncFilters = Record<string, string>;

export type RunStatus = 'queued' | 'running' | 'complete' | 'error' | 'cancelled';

export interface RunInfo {
  dpRunId: number;
  status: RunStatus;
  /** The status exactly as ONC sent it, e.g. "data product running" or "Completed". */
  rawStatus: string;
  /** Files the run produced; ONC sends 0 until the run completes, and spells the key fileCount or filecount. */
  fileCount?: number;
}

export interface RequestResult {
  dpRequestId: number;
  /** Parsed from estimatedFileSize ("11940760", "151 kB"); undefined when ONC sent prose. */
  estimatedFileSizeBytes?: number;
  /** Parsed from estimatedProcessingTime ("21", "20 s", "3 min"); undefined when ONC sent prose. */
  estimatedProcessingSeconds?: number;
  estimatedFileSizeText?: string;
  estimatedProcessingTimeText?: string;
  /** Archive shape: products that already exist as files. */
  numFiles?: number;
  fileSize?: number;
  compressedFileSize?: number;
  /** Seconds to download at a few link speeds, keyed like "10Mbps". */
  downloadTimes?: Record<string, number>;
  disclaimer?: string;
  citations: unknown[];
  /** Warnings ONC attached to the request; worth showing to the user. */
  messages: string[];
  raw: Record<string, unknown>;
}

export interface StatusResult {
  dpRequestId: number;
  /** searchHdrStatus, e.g. "OPEN" or "COMPLETED". */
  headerStatus?: string;
  /** From newSearches[]: searchId is the dpRunId, taskStatus the status. No file counts here. */
  runs: RunInfo[];
  raw: Record<string, unknown>;
}

export interface DownloadRequest {
  dpRunId: number;
  /** 1..n for data files, 'meta' for the metadata file. */
  index: number | 'meta';
  /** true: ONC deletes the file once it has sent it completely; a later download of it answers 410. */
  deleteFile: boolean;
  /** Ask for the bytes from this offset on ("Range: bytes=N-"); the answer says whether ONC honoured it. */
  rangeStart?: number;
  signal?: AbortSignal;
}

export interface DownloadedBody {
  /**
   * The file's bytes, streamed. MUST be consumed or destroyed by the caller: it holds a connection. Listen for
   * 'error' (stream.pipeline does): a reset mid-body, a body timeout, or destroying it early all arrive that way.
   */
  body: Readable;
  /** From Content-Disposition. UNTRUSTED server text: may contain "..", "/", control characters. Not sanitised. */
  fileName?: string;
  contentLength?: number;
  /** Set when ONC answered 206 with Content-Range. `total` is absent when the server sent "*". */
  partial?: { start: number; end: number; total?: number };
  httpStatus: 200 | 206;
}

/** The `ok` value each method yields. */
export interface OncValueByMethod {
  request: RequestResult;
  run: RunInfo[];
  status: StatusResult;
  download: DownloadedBody;
  cancel: RunInfo[];
  restart: RunInfo[];
  'archivefile/location': ArchiveListing;
  'archivefile/device': ArchiveListing;
  'archivefile/download': DownloadedBody;
  dataProducts: DiscoveryRows;
  locations: DiscoveryRows;
  devices: DiscoveryRows;
  deviceCategories: DiscoveryRows;
}

/** What a discovery service found: one record per row, fields as ONC sent them. */
export type DiscoveryRows = Array<Record<string, unknown>>;
