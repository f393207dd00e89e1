import { deleteKeysWithPrefix, redisUrlForTests, uniquePrefix } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetSemaphore } from '../src/index.js';

describe('the fleet-wide cap on calls in flight', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function semaphores(count: number, max: number, holdMs: number): Promise<FleetSemaphore[]> {
    const redisUrl = await redisUrlForTests();
    const key = `${uniquePrefix('semaphore')}:in-flight`;
    cleanups.push(() => deleteKeysWithPrefix(redisUrl, key));
    return Array.from({ length: count }, () => {
      // Each its own connection, as two worker processes would have.
      const redis = new Redis(redisUrl);
      cleanups.push(() => Promise.resolve(redis.disconnect()));
      return new FleetSemaphore(redis, key, max, holdMs);
    });
  }

  it('never lets more than its cap hold at once, across connections, and serves every caller', async () => {
    const [first, second] = await semaphores(2, 1, 10_000);
    let inFlight = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, n) => {
        const semaphore = n % 2 === 0 ? first : second;
        await semaphore?.hold(async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5 + (n % 3) * 5));
          inFlight -= 1;
          done += 1;
        });
      }),
    );
    expect(done).toBe(20);
    expect(most).toBe(1);
  });

  it('gives a place up when its work throws, and one held by a dead holder once its hold lapses', async () => {
    const [semaphore, other] = await semaphores(2, 1, 300);
    await expect(semaphore?.hold(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    // Free again at once after the throw.
    const started = Date.now();
    await other?.hold(() => Promise.resolve());
    expect(Date.now() - started).toBeLessThan(200);
    // A holder that never gives its place up (its process died): the next waits for the hold to lapse, no longer.
    let release: () => void = () => undefined;
    const stuck = semaphore?.hold(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waitedFrom = Date.now();
    await other?.hold(() => Promise.resolve());
    const waited = Date.now() - waitedFrom;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(2_000);
    release();
    await stuck;
  });
});
