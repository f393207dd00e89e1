import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A service that notes when each call reaches it. */
async function startReceiver(): Promise<{ url: string; arrivals: number[]; server: Server }> {
  const arrivals: number[] = [];
  const server = createServer((_request, response) => {
    arrivals.push(Date.now());
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, arrivals, server };
}

/** Seeded, so every run draws the same delays. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the fleet-wide call budget', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('never lets the service see more than the budget in any one second, with jitter on the way', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => new Promise((resolve) => receiver.server.close(resolve)));
    const redisUrl = await redisUrlForTests();
    const key = `${uniquePrefix('limiter')}:calls`;
    cleanups.push(() => deleteKeysWithPrefix(redisUrl, key));
    const perSecond = 40;
    // Two "processes": each its own Redis connection and limiter.
    const random = seededRandom(7);
    const limiters = [0, 1].map(() => {
      const redis = new Redis(redisUrl);
      cleanups.push(() => Promise.resolve(redis.disconnect()));
      // The margin covers the jitter below (80 ms) and the lag of a test process starved of CPU by its neighbours;
      // without one (slots of exactly a second), this test sees about 58 calls in its busiest second.
      return new FleetRateLimiter(redis, key, perSecond, { arrivalJitterMs: 400 });
    });
    const until = Date.now() + 4_500;
    await Promise.all(
      Array.from({ length: 60 }, async (_, loop) => {
        const limiter = limiters[loop % 2];
        while (limiter && Date.now() < until) {
          await limiter.acquire();
          // Between the grant and the call reaching the service: a busy event loop, a slower route, up to 80 ms.
          await new Promise((resolve) => setTimeout(resolve, random() * 80));
          await (await fetch(receiver.url)).text();
        }
      }),
    );

    const arrivals = receiver.arrivals;
    // The budget was used to the full: well over four seconds' worth of calls were made.
    expect(arrivals.length).toBeGreaterThan(perSecond * 3);
    expect(busiestWindow(arrivals, 1_000)).toBeLessThanOrEqual(perSecond);
  }, 30_000);
});
