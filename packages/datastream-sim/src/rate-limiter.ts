/**
 * DataStream's politeness rule — at most 2 requests a second and none in parallel — enforced per API key.
 * A request is refused when `maxInFlight` admitted requests of the same key are still being answered, or when
 * `requestsPerSecond` admitted requests of that key started within the last second (less `graceMs`, which forgives
 * a client's timer firing a few milliseconds early). Refused requests do not count against the key.
 */

export interface RateLimitSettings {
  /** Requests a key may start in any one-second window. Default 2 (the seed). */
  requestsPerSecond: number;
  /** Requests a key may have in flight at once. Default 1 ("don't make requests in parallel"). */
  maxInFlight: number;
  /** Send `Retry-After` (whole seconds) with a 429. Default true. */
  retryAfter: boolean;
  /** Answer 403 `{"message":"Forbidden"}` instead of 429, as the API did before 2025. Default false. */
  legacy403: boolean;
  /** Milliseconds of the window forgiven, for timer jitter. Default 10. */
  graceMs: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitSettings> = {
  requestsPerSecond: 2,
  maxInFlight: 1,
  retryAfter: true,
  legacy403: false,
  graceMs: 10,
};

const WINDOW_MS = 1000;

export function checkRateLimit(settings: RateLimitSettings): void {
  const problems: string[] = [];
  if (!(Number.isInteger(settings.requestsPerSecond) && settings.requestsPerSecond >= 1))
    problems.push(`requestsPerSecond must be a whole number >= 1, got ${settings.requestsPerSecond}`);
  if (!(Number.isInteger(settings.maxInFlight) && settings.maxInFlight >= 1))
    problems.push(`maxInFlight must be a whole number >= 1, got ${settings.maxInFlight}`);
  if (!(settings.graceMs >= 0 && settings.graceMs < WINDOW_MS))
    problems.push(`graceMs must be in [0, ${WINDOW_MS}), got ${settings.graceMs}`);
  if (typeof settings.retryAfter !== 'boolean') problems.push('retryAfter must be true or false');
  if (typeof settings.legacy403 !== 'boolean') problems.push('legacy403 must be true or false');
  if (problems.length > 0) throw new RangeError(`rateLimit: ${problems.join('; ')}`);
}

export type Admission =
  { admitted: true; release: () => void } | { admitted: false; reason: 'parallel' | 'rate'; retryAfterSeconds: number };

interface KeyState {
  starts: number[];
  inFlight: number;
}

export class RateLimiter {
  readonly #keys = new Map<string, KeyState>();

  /** Admits or refuses a request of `key` starting at `now` (ms, monotonic). */
  admit(key: string, now: number, settings: RateLimitSettings): Admission {
    let state = this.#keys.get(key);
    if (!state) {
      state = { starts: [], inFlight: 0 };
      this.#keys.set(key, state);
    }
    const window = WINDOW_MS - settings.graceMs;
    while (state.starts.length > 0 && now - (state.starts[0] ?? 0) >= window) state.starts.shift();
    if (state.inFlight >= settings.maxInFlight) return { admitted: false, reason: 'parallel', retryAfterSeconds: 1 };
    if (state.starts.length >= settings.requestsPerSecond) {
      const frees = (state.starts[0] ?? now) + window - now;
      return { admitted: false, reason: 'rate', retryAfterSeconds: Math.max(1, Math.ceil(frees / 1000)) };
    }
    state.starts.push(now);
    state.inFlight++;
    const held = state;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        held.inFlight--;
      },
    };
  }
}
