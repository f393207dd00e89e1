/**
 * A record of every call to the API (control endpoints excluded), so a test can check what a client did: which
 * pages it asked for, how fast, how many at once, and what it got. API keys are never recorded, only whether one
 * was sent.
 */
import type { FaultKind } from './faults.js';
import type { Resource } from './resources.js';

/** Why the simulator refused a call before answering it normally. */
export type Refusal =
  | 'not-found'
  | 'method'
  | 'not-url-encoded'
  | 'no-api-key'
  | 'invalid-api-key'
  | 'rate-limit'
  | 'parallel'
  | 'bad-query'
  | 'timeout-threshold'
  | 'too-large-threshold';

export interface RecordedCall {
  /** 1, 2, 3 … in arrival order. */
  seq: number;
  /** GET, HEAD, … */
  method: string;
  /** The path as received, without the query. */
  path: string;
  /** The resource named by the path, or null for any other path. */
  resource: Resource | null;
  /** The query parameters, decoded (first value of each name); empty when the query could not be decoded. */
  query: Record<string, string>;
  /** The query string exactly as received, without the `?`. */
  rawQuery: string;
  /** The HTTP status sent, or null when the connection closed before a status went out. */
  status: number | null;
  /** Arrival, ms since the epoch. */
  startedAt: number;
  /** When the answer finished or the connection closed, ms since the epoch; null while in flight. */
  endedAt: number | null;
  /** Body bytes written to the connection (after compression). */
  bytesSent: number;
  /** Whether the whole answer was sent. */
  completed: boolean;
  /** Whether the connection was dropped before the answer was complete (by a fault or by the client). */
  reset: boolean;
  /** Whether the request carried an `x-api-key` header (its value is never kept). */
  apiKeySent: boolean;
  /** The injected fault that shaped the answer, if any. */
  fault: FaultKind | null;
  /** Why the call was refused, if it was. */
  refusal: Refusal | null;
  /** Rows in the answer (0 for errors and counts). */
  rows: number;
}

export interface CallStats {
  /** Calls being answered right now. */
  inFlight: number;
  /** The most calls answered at the same time since start (or the last `clearCalls`). */
  peakInFlight: number;
  /**
   * The most calls that started within any one second: a window [t, t + 990 ms), forgiving 10 ms of timer jitter as
   * the rate limiter does by default, so a client that spaces its calls 500 ms apart counts 2, not sometimes 3.
   */
  peakStartsPerSecond: number;
  /** Calls recorded. */
  calls: number;
  /** Calls refused for going over the rate or parallel limit (429, or 403 with legacy403). */
  rateLimited: number;
  /** Recorded calls by status ('none' for dropped connections). */
  byStatus: Record<string, number>;
}

/** Milliseconds of a second forgiven when counting starts per second (see CallStats.peakStartsPerSecond). */
export const STARTS_WINDOW_MS = 990;

export type CallStart = Pick<
  RecordedCall,
  'method' | 'path' | 'resource' | 'query' | 'rawQuery' | 'startedAt' | 'apiKeySent'
>;

export class CallLog {
  #calls: RecordedCall[] = [];
  #seq = 0;
  #inFlight = 0;
  #peak = 0;

  begin(start: CallStart): RecordedCall {
    const call: RecordedCall = {
      ...start,
      seq: ++this.#seq,
      status: null,
      endedAt: null,
      bytesSent: 0,
      completed: false,
      reset: false,
      fault: null,
      refusal: null,
      rows: 0,
    };
    this.#calls.push(call);
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    return call;
  }

  end(call: RecordedCall, endedAt: number): void {
    if (call.endedAt !== null) return;
    call.endedAt = endedAt;
    this.#inFlight--;
  }

  calls(): RecordedCall[] {
    return this.#calls.map((c) => ({ ...c, query: { ...c.query } }));
  }

  stats(): CallStats {
    const starts = this.#calls.map((c) => c.startedAt).sort((a, b) => a - b);
    let peakStarts = 0;
    for (let lo = 0, hi = 0; hi < starts.length; hi++) {
      while ((starts[hi] ?? 0) - (starts[lo] ?? 0) >= STARTS_WINDOW_MS) lo++;
      peakStarts = Math.max(peakStarts, hi - lo + 1);
    }
    const byStatus: Record<string, number> = {};
    for (const c of this.#calls) {
      const key = c.status === null ? 'none' : String(c.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    return {
      inFlight: this.#inFlight,
      peakInFlight: this.#peak,
      peakStartsPerSecond: peakStarts,
      calls: this.#calls.length,
      rateLimited: this.#calls.filter((c) => c.refusal === 'rate-limit' || c.refusal === 'parallel').length,
      byStatus,
    };
  }

  /** Forgets recorded calls and resets the peaks (calls in flight stay counted). */
  clear(): void {
    this.#calls = [];
    this.#peak = this.#inFlight;
  }
}
