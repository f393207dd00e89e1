import type { Redis } from 'ioredis';

/**
 * A pause every worker keeps: after DataStream answers 429, no worker calls it again until the Retry-After has passed
 * (the limit is the key's, not one job's). Kept in Redis with an expiry, so it ends by itself, even if Redis is
 * wiped meanwhile (which only ends it early).
 */
export class FleetPause {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  /** Pauses the fleet for `ms` from now, unless a longer pause is already on. */
  async pauseFor(ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const left = await this.redis.pttl(this.key);
    if (left >= ms) return;
    await this.redis.set(this.key, String(Date.now() + ms), 'PX', Math.ceil(ms));
  }

  /**
   * Resolves once no pause is on, with 0; or, when the pause has more than `atMostMs` left, at once with what is left
   * (a caller holding the fleet's slot must not sit on it for long).
   */
  async wait(signal: AbortSignal | undefined, atMostMs = Infinity): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      const left = await this.redis.pttl(this.key);
      if (left <= 0) return 0;
      if (left > atMostMs) return left;
      // Waiters come back a little apart, so they do not all race for the first slot in the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, left + Math.floor(Math.random() * 50)));
    }
  }
}
