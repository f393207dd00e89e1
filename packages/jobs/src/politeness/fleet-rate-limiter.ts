import type { Redis } from 'ioredis';

const incrementWindow = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/**
 * At most `perSecond` ONC calls per second across every worker process: each call takes a slot in a per-second
 * counter in Redis, and a caller that finds the second full waits for the next one. BullMQ's own limiter counts jobs
 * per queue, not HTTP calls across queues, so it cannot express "5 calls per second in total" by itself.
 */
export class FleetRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly perSecond: number,
  ) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    if (!(this.perSecond > 0) || !Number.isFinite(this.perSecond)) return;
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      const second = Math.floor(now / 1000);
      const count = Number(await this.redis.eval(incrementWindow, 1, `${this.key}:${second}`, 2_000));
      if (count <= this.perSecond) return;
      // Spread the waiters over the next second so they do not all hit Redis at its first millisecond.
      const wait = (second + 1) * 1000 - now + Math.floor(Math.random() * 50);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
