/**
 * A record of every call the simulator received, with the token redacted, so tests can assert what a client did
 * (how often it polled, which URL form it used, whether it stayed within its concurrency budget).
 */
import type { FaultKind } from './faults.js';
import type { SimService } from './methods/method-names.js';

export const REDACTED = 'REDACTED';

export interface RecordedCall {
  /** 1, 2, 3 … in arrival order. */
  seq: number;
  /** Arrival time on the simulator's clock, ms since the epoch. */
  at: number;
  /** When the answer ended (sent in full, or the connection dropped), on the same clock; null while in flight. */
  endedAt: number | null;
  /** GET, HEAD, … */
  httpMethod: string;
  /** The service called, or null for a path that is none of them. */
  service: SimService | null;
  /**
   * `query` for `/api/dataProductDelivery?method=x` and `/api/archivefiles?method=x`, `path` for
   * `/api/dataProductDelivery/x`, `/api/archivefile/x` and the discovery services, null for other paths.
   */
  urlForm: 'query' | 'path' | null;
  /**
   * The method named (see SIM_METHODS: `download`, `archivefile/location`, `deployments` …; the older archive form's
   * `getFile` is recorded as `archivefile/download`), as sent when it names none of them, or null when there was none.
   */
  method: string | null;
  /** Query parameters (first value of each), `token` replaced by {@link REDACTED}. */
  params: Record<string, string>;
  /** The URL path and query as received, token redacted. */
  url: string;
  /** The HTTP status sent, or null when the connection was dropped before a status was sent. */
  status: number | null;
  /** Body bytes written (for downloads, how much of the file went out). */
  bodyBytes: number;
  /** The injected fault that shaped the answer, if any. */
  fault: FaultKind | null;
  /** Whether the answer was sent completely (false for resets, truncations, stalls and client aborts). */
  completed: boolean;
}

export interface CallStats {
  /** Calls being handled right now. */
  inFlight: number;
  /** The most calls handled at the same time since start (or the last `clearCalls`). */
  peakInFlight: number;
  /** The same peak, per method (as `RecordedCall.method` names it). */
  peakInFlightByMethod: Record<string, number>;
}

/** `url` with the token's value redacted. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/g, `$1${REDACTED}`);
}

export class CallLog {
  #calls: RecordedCall[] = [];
  #seq = 0;
  #inFlight = 0;
  #inFlightByMethod = new Map<string, number>();
  #peak = 0;
  #peakByMethod: Record<string, number> = {};

  begin(call: Omit<RecordedCall, 'seq' | 'status' | 'bodyBytes' | 'fault' | 'completed' | 'endedAt'>): RecordedCall {
    const recorded: RecordedCall = {
      ...call,
      endedAt: null,
      seq: ++this.#seq,
      status: null,
      bodyBytes: 0,
      fault: null,
      completed: false,
    };
    this.#calls.push(recorded);
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    const key = call.method ?? '';
    const n = (this.#inFlightByMethod.get(key) ?? 0) + 1;
    this.#inFlightByMethod.set(key, n);
    if (call.method) this.#peakByMethod[call.method] = Math.max(this.#peakByMethod[call.method] ?? 0, n);
    return recorded;
  }

  end(call: RecordedCall): void {
    this.#inFlight--;
    const key = call.method ?? '';
    this.#inFlightByMethod.set(key, (this.#inFlightByMethod.get(key) ?? 1) - 1);
  }

  calls(): RecordedCall[] {
    return this.#calls.map((c) => ({ ...c, params: { ...c.params } }));
  }

  stats(): CallStats {
    return { inFlight: this.#inFlight, peakInFlight: this.#peak, peakInFlightByMethod: { ...this.#peakByMethod } };
  }

  /** Forgets recorded calls and resets the peaks (calls in flight stay counted). */
  clear(): void {
    this.#calls = [];
    this.#peak = this.#inFlight;
    this.#peakByMethod = {};
  }
}
