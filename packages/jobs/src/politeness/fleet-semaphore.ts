import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Holders in a sorted set scored by when their hold lapses (by Redis's clock): a holder that died without releasing
 * stops counting once its hold lapses. Grants when fewer than `max` hold; otherwise answers how long until the
 * earliest hold lapses, which a release usually beats.
 */
const takeHold = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], nowMs + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 0
end
local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(earliest[2]) - nowMs)`;
const takeHoldSha = createHash('sha1').update(takeHold).digest('hex');

/** How often a waiter asks again: a release is not announced, so waiters look. */
const pollMs = 15;

/**
 * At most `max` holders at once across every worker process (DataStream: one request in flight, in all). A holder
 * that dies keeps its place only until `holdMs` lapses, so it must be longer than the longest call it guards.
 */
export class FleetSemaphore {
  private readonly onWaited: ((seconds: number) => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly max: number,
    private readonly holdMs: number,
    options: {
      /** Told how long each holder waited for its place, Redis round trips included (for the metrics). */
      onWaited?: (seconds: number) => void;
    } = {},
  ) {
    this.onWaited = options.onWaited;
  }

  /** Runs `work` holding one place, and gives the place up when it settles, whichever way. */
  async hold<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const holder = await this.acquire(signal);
    try {
      return await work();
    } finally {
      await this.redis.zrem(this.key, holder);
    }
  }

  private async acquire(signal?: AbortSignal): Promise<string> {
    const holder = randomUUID();
    const started = performance.now();
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = Number(await this.take(holder));
      if (waitMs <= 0) {
        this.onWaited?.((performance.now() - started) / 1_000);
        return holder;
      }
      const jitter = Math.floor(Math.random() * pollMs);
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, pollMs) + jitter));
    }
  }

  private async take(holder: string): Promise<unknown> {
    const args = [1, this.key, this.max, this.holdMs, holder] as const;
    try {
      return await this.redis.evalsha(takeHoldSha, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(takeHold, ...args);
    }
  }
}
