/**
 * A record of every call either host received, so a test can assert what a client did: which pages it asked for,
 * whether it stayed within its concurrency and rate budgets, whether it sent the API token to the media host (it
 * must not). The Authorization header's value is never recorded, only whether there was one.
 */
import type { FaultKind } from './faults.js';

/** The API server, or the media host that serves the files. */
export type SimHost = 'api' | 'media';

export interface RecordedCall {
  /** 1, 2, 3 … in arrival order, across both hosts. */
  seq: number;
  host: SimHost;
  /** GET, HEAD, … */
  method: string;
  /** The URL path as received (still percent-encoded). */
  path: string;
  /** Query parameters, first value of each. */
  query: Record<string, string>;
  /** Path and query as received. */
  url: string;
  /** Arrival, ms since the epoch. */
  startedAt: number;
  /** When the answer finished or the connection closed; null while in flight. */
  endedAt: number | null;
  /** The HTTP status sent, or null when the connection was dropped before any status. */
  status: number | null;
  /** Body bytes written. */
  bodyBytes: number;
  /** Whether the whole answer was sent (false for resets, stalls and client aborts). */
  completed: boolean;
  /** Whether the request carried an Authorization header (its value is never kept). */
  authorizationSent: boolean;
  /** The Range header, if any. */
  range: string | null;
  /** The injected fault that shaped the answer, if any. */
  fault: FaultKind | null;
  /** Whether the rate limit answered 429. */
  throttled: boolean;
}

export interface HostStats {
  /** Calls received. */
  calls: number;
  /** Calls being answered right now. */
  inFlight: number;
  /** The most calls answered at once (on the media host: concurrent downloads). */
  peakInFlight: number;
  /** The most calls that arrived within any one second (a sliding 1000 ms window). */
  peakCallsPerSecond: number;
  /** Body bytes sent. */
  bodyBytes: number;
}

export interface SimStats {
  api: HostStats;
  media: HostStats;
}

export type CallStart = Pick<
  RecordedCall,
  'host' | 'method' | 'path' | 'query' | 'url' | 'authorizationSent' | 'range'
>;

class HostCounter {
  calls = 0;
  inFlight = 0;
  peakInFlight = 0;
  peakCallsPerSecond = 0;
  bodyBytes = 0;
  recentStarts: number[] = [];

  start(at: number): void {
    this.calls++;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.recentStarts.push(at);
    while ((this.recentStarts[0] ?? at) <= at - 1000) this.recentStarts.shift();
    this.peakCallsPerSecond = Math.max(this.peakCallsPerSecond, this.recentStarts.length);
  }

  snapshot(): HostStats {
    return {
      calls: this.calls,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      peakCallsPerSecond: this.peakCallsPerSecond,
      bodyBytes: this.bodyBytes,
    };
  }

  reset(): void {
    this.calls = 0;
    this.peakInFlight = this.inFlight;
    this.peakCallsPerSecond = 0;
    this.bodyBytes = 0;
    this.recentStarts = [];
  }
}

export class CallLog {
  #calls: RecordedCall[] = [];
  #seq = 0;
  readonly #hosts: Record<SimHost, HostCounter> = { api: new HostCounter(), media: new HostCounter() };

  begin(start: CallStart): RecordedCall {
    const now = Date.now();
    const call: RecordedCall = {
      ...start,
      seq: ++this.#seq,
      startedAt: now,
      endedAt: null,
      status: null,
      bodyBytes: 0,
      completed: false,
      fault: null,
      throttled: false,
    };
    this.#calls.push(call);
    this.#hosts[start.host].start(now);
    return call;
  }

  end(call: RecordedCall): void {
    call.endedAt = Date.now();
    const host = this.#hosts[call.host];
    host.inFlight--;
    host.bodyBytes += call.bodyBytes;
  }

  /** Recorded calls, oldest first; only one host's when given. */
  calls(host?: SimHost): RecordedCall[] {
    return this.#calls
      .filter((c) => host === undefined || c.host === host)
      .map((c) => ({ ...c, query: { ...c.query } }));
  }

  stats(): SimStats {
    return { api: this.#hosts.api.snapshot(), media: this.#hosts.media.snapshot() };
  }

  /** Forgets recorded calls and resets the counters (calls in flight stay counted). */
  clear(): void {
    this.#calls = [];
    this.#hosts.api.reset();
    this.#hosts.media.reset();
  }
}
