/**
 * The API's optional rate limit, the way Django REST Framework's throttles work: a sliding one-second window of the
 * requests it let through; a request over the limit is answered 429 and not counted, with the seconds until a slot
 * frees up in the message and (unless turned off) in Retry-After.
 */

export interface RateLimitOptions {
  /** Requests let through in any sliding 1000 ms window (a positive integer). */
  perSecond: number;
  /** Send a Retry-After header (whole seconds) with each 429; default true. */
  retryAfter?: boolean;
}

export type RateDecision = { allowed: true } | { allowed: false; waitSeconds: number };

export function validateRateLimit(options: RateLimitOptions): void {
  if (!(Number.isInteger(options.perSecond) && options.perSecond >= 1))
    throw new RangeError(`rateLimit.perSecond must be a positive integer, got ${options.perSecond}`);
}

export class RateLimiter {
  readonly options: RateLimitOptions;
  #allowed: number[] = [];

  constructor(options: RateLimitOptions) {
    validateRateLimit(options);
    this.options = options;
  }

  check(now: number): RateDecision {
    while ((this.#allowed[0] ?? now) <= now - 1000) this.#allowed.shift();
    if (this.#allowed.length < this.options.perSecond) {
      this.#allowed.push(now);
      return { allowed: true };
    }
    const oldest = this.#allowed[0] ?? now;
    return { allowed: false, waitSeconds: Math.max(1, Math.ceil((oldest + 1000 - now) / 1000)) };
  }
}

/** DRF's wording of a throttled request. */
export const throttledDetail = (waitSeconds: number): string =>
  `Request was throttled. Expected available in ${waitSeconds} second${waitSeconds === 1 ? '' : 's'}.`;
