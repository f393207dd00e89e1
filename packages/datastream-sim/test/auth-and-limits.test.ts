import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASTREAM_API_KEY } from '../src/index.js';
import { get, sleep, startSim } from './helpers.js';

describe('API key', () => {
  it('answers 401 without a key and 403 with a wrong one, and records only whether a key was sent', async () => {
    const sim = await startSim();
    expect(sim.apiKey).toBe(DEFAULT_DATASTREAM_API_KEY);
    const none = await get(sim, 'Locations', {}, { key: null });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ message: 'Unauthorized' });
    const empty = await get(sim, 'Locations', {}, { key: '' });
    expect(empty.status).toBe(401);
    const wrong = await get(sim, 'Locations', {}, { key: 'not-a-key' });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ message: 'Forbidden' });
    expect((await get(sim, 'Locations')).status).toBe(200);
    const calls = sim.calls();
    expect(calls.map((c) => [c.status, c.apiKeySent, c.refusal])).toEqual([
      [401, false, 'no-api-key'],
      [401, true, 'no-api-key'],
      [403, true, 'invalid-api-key'],
      [200, true, null],
    ]);
    expect(JSON.stringify(calls)).not.toContain('not-a-key');
    expect(JSON.stringify(calls)).not.toContain(DEFAULT_DATASTREAM_API_KEY);
  });

  it('accepts the keys it is given, and only those', async () => {
    const sim = await startSim({ apiKeys: ['key-a', 'key-b'] });
    expect((await get(sim, 'Metadata', {}, { key: 'key-b' })).status).toBe(200);
    expect((await get(sim, 'Metadata', {}, { key: DEFAULT_DATASTREAM_API_KEY })).status).toBe(403);
  });
});

describe('politeness limit', () => {
  it('answers 429 with Retry-After to a third request within a second, and admits again after it', async () => {
    const sim = await startSim({ rateLimit: true });
    expect((await get(sim, 'Metadata')).status).toBe(200);
    expect((await get(sim, 'Metadata')).status).toBe(200);
    const third = await get(sim, 'Metadata');
    expect(third.status).toBe(429);
    expect(third.json).toEqual({ message: 'Too Many Requests' });
    expect(third.headers.get('retry-after')).toBe('1');
    await sleep(1000);
    expect((await get(sim, 'Metadata')).status).toBe(200);
    const stats = sim.stats();
    expect(stats.rateLimited).toBe(1);
    expect(stats.peakStartsPerSecond).toBe(3);
    expect(sim.calls().map((c) => c.refusal)).toEqual([null, null, 'rate-limit', null]);
  });

  it('lets a client spaced 550 ms apart through, and records that it kept to 2 a second and 1 at a time', async () => {
    // 500 ms exactly is the limit itself: on a loaded machine, arrival jitter can push such a client over it.
    const sim = await startSim({ rateLimit: true });
    for (let i = 0; i < 4; i++) {
      const started = Date.now();
      expect((await get(sim, 'Locations')).status).toBe(200);
      await sleep(Math.max(0, 550 - (Date.now() - started)));
    }
    expect(sim.stats()).toMatchObject({ peakInFlight: 1, rateLimited: 0, calls: 4 });
    expect(sim.stats().peakStartsPerSecond).toBeLessThanOrEqual(2);
  });

  it('answers 429 to a request made while another is in flight', async () => {
    const sim = await startSim({ rateLimit: { requestsPerSecond: 10 }, latencyMs: 300 });
    const [a, b] = await Promise.all([get(sim, 'Locations'), get(sim, 'Observations')]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
    expect(sim.stats().peakInFlight).toBe(2);
    expect(sim.calls().find((c) => c.status === 429)?.refusal).toBe('parallel');
    // Once the first one is done, the next is admitted.
    expect((await get(sim, 'Locations')).status).toBe(200);
  });

  it('limits per key: another key has its own budget', async () => {
    const sim = await startSim({ rateLimit: true, apiKeys: ['k1', 'k2'] });
    for (let i = 0; i < 2; i++) expect((await get(sim, 'Metadata', {}, { key: 'k1' })).status).toBe(200);
    expect((await get(sim, 'Metadata', {}, { key: 'k1' })).status).toBe(429);
    expect((await get(sim, 'Metadata', {}, { key: 'k2' })).status).toBe(200);
  });

  it('can leave out Retry-After, answer the old 403 instead, or be changed or turned off', async () => {
    const sim = await startSim({ rateLimit: { retryAfter: false } });
    await get(sim, 'Metadata');
    await get(sim, 'Metadata');
    const noHeader = await get(sim, 'Metadata');
    expect(noHeader.status).toBe(429);
    expect(noHeader.headers.get('retry-after')).toBeNull();

    sim.configure({ rateLimit: { legacy403: true } });
    const legacy = await get(sim, 'Metadata');
    expect(legacy.status).toBe(403);
    expect(legacy.json).toEqual({ message: 'Forbidden' });
    expect(sim.calls().at(-1)?.refusal).toBe('rate-limit');

    sim.configure({ rateLimit: false });
    const burst = await Promise.all(Array.from({ length: 8 }, () => get(sim, 'Metadata')));
    expect(burst.map((a) => a.status)).toEqual(Array.from({ length: 8 }, () => 200));

    sim.configure({ rateLimit: { requestsPerSecond: 5, maxInFlight: 1, legacy403: false } });
    await sleep(1000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(sim, 'Metadata')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(() => sim.configure({ rateLimit: { requestsPerSecond: 0 } })).toThrow(/requestsPerSecond/);
  });

  it('does not limit or record the control endpoints', async () => {
    const sim = await startSim({ rateLimit: true });
    for (let i = 0; i < 5; i++) expect((await fetch(`${sim.origin}/_sim/stats`)).status).toBe(200);
    expect(sim.calls()).toEqual([]);
    expect((await get(sim, 'Metadata')).status).toBe(200);
  });
});
