import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A sliding log in a sorted set: grants a call when fewer than `max` were granted in the last `window` ms (by
 * Redis's own clock, so every host agrees), otherwise answers how long to wait for the oldest to fall out.
 */
const takeSlot = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], nowMs, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - nowMs)`;
const takeSlotSha = createHash('sha1').update(takeSlot).digest('hex');

/**
 * How far apart two calls granted at the same moment may reach the service, in ms: the grant's answer, the worker's
 * event loop and the network each add their own delay. Slots are kept this much longer than a second, so that even
 * a call delayed by that much and one sent at once never land in one second with `perSecond` others.
 */
export const defaultArrivalJitterMs = 200;

/**
 * At most `perSecond` calls in any one-second window across every worker process, as the service receives them:
 * each call takes a slot in Redis first, and a slot is held for a second plus the arrival jitter. BullMQ's own
 * limiter counts jobs per queue, not HTTP calls across queues, so it cannot express "5 calls per second in total"
 * by itself.
 */
export class FleetRateLimiter {
  private readonly windowMs: number;
  private readonly onWaited: ((seconds: number) => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly perSecond: number,
    options: {
      arrivalJitterMs?: number;
      /** Told how long each granted call waited for its slot, Redis round trips included (for the metrics). */
      onWaited?: (seconds: number) => void;
    } = {},
  ) {
    this.windowMs = 1_000 + (options.arrivalJitterMs ?? defaultArrivalJitterMs);
    this.onWaited = options.onWaited;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (!(this.perSecond > 0) || !Number.isFinite(this.perSecond)) return;
    const started = performance.now();
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = Number(await this.takeSlot());
      if (waitMs <= 0) {
        this.onWaited?.((performance.now() - started) / 1_000);
        return;
      }
      // A little jitter so the waiters do not all come back in the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, waitMs + Math.floor(Math.random() * 20)));
    }
  }

  /** By the script's hash, so Redis is not sent the script on every call; loaded again after a Redis restart. */
  private async takeSlot(): Promise<unknown> {
    const args = [1, this.key, this.windowMs, Math.ceil(this.perSecond), randomUUID()] as const;
    try {
      return await this.redis.evalsha(takeSlotSha, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(takeSlot, ...args);
    }
  }
}
