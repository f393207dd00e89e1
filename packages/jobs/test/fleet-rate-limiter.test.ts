import { OncClient } from '@onc-orders/onc-client';
import { mulberry32, startOncSimulator, type OncSimulator } from '@onc-orders/onc-sim';
import { deleteKeysWithPrefix, redisUrlForTests, uniquePrefix } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetRateLimiter } from '../src/index.js';

/** The most arrival times that fall in any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= windowMs) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

describe('the fleet-wide call budget', () => {
  let sim: OncSimulator | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await sim?.close();
  });

  it('never lets the service see more than the budget in any one second, with jitter on the way', async () => {
    sim = await startOncSimulator();
    const redisUrl = await redisUrlForTests();
    const key = `${uniquePrefix('limiter')}:calls`;
    cleanups.push(() => deleteKeysWithPrefix(redisUrl, key));
    const perSecond = 40;
    // Two "processes": each its own Redis connection, limiter and HTTP client.
    const random = mulberry32(7);
    const clients = [0, 1].map(() => {
      const redis = new Redis(redisUrl);
      // The margin covers the jitter below (80 ms) and the lag of a test process starved of CPU by its neighbours;
      // without one (slots of exactly a second), this test sees about 58 calls in its busiest second.
      const limiter = new FleetRateLimiter(redis, key, perSecond, { arrivalJitterMs: 400 });
      const client = new OncClient({
        token: 'x',
        baseUrl: sim?.url ?? '',
        beforeCall: async () => {
          await limiter.acquire();
          // Between the grant and the call reaching the service: a busy event loop, a slower route, up to 80 ms.
          await new Promise((resolve) => setTimeout(resolve, random() * 80));
        },
      });
      cleanups.push(async () => {
        await client.close();
        redis.disconnect();
      });
      return client;
    });
    const until = Date.now() + 4_500;
    await Promise.all(
      Array.from({ length: 60 }, async (_, loop) => {
        const client = clients[loop % 2];
        while (client && Date.now() < until) await client.status(3_000_001);
      }),
    );

    const arrivals = sim.calls().map((call) => call.at);
    // The budget was used to the full: well over four seconds' worth of calls were made.
    expect(arrivals.length).toBeGreaterThan(perSecond * 3);
    expect(busiestWindow(arrivals, 1_000)).toBeLessThanOrEqual(perSecond);
  }, 30_000);
});
