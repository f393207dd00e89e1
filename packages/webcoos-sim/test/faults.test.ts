import { describe, expect, it } from 'vitest';
import { SMALL, STILLS, api, elementsQuery, readAll, sleep, startSim } from './helpers.js';

describe('API faults', () => {
  it('answers an injected status the given number of times, then normally', async () => {
    const sim = await startSim(SMALL);
    const handle = sim.injectFault({
      host: 'api',
      path: '/assets/',
      times: 2,
      action: { kind: 'status', status: 503 },
    });
    const first = await api(sim, '/assets/');
    expect(first.status).toBe(503);
    expect(first.json).toEqual({ detail: 'Service Unavailable (simulated)' });
    expect(handle.remaining()).toBe(1);
    expect((await api(sim, '/assets/')).status).toBe(503);
    expect((await api(sim, '/assets/')).status).toBe(200);
    expect(handle.remaining()).toBe(0);
  });

  it('picks the n-th matching call, by query, and sends the given body and headers', async () => {
    const sim = await startSim(SMALL);
    sim.injectFault({
      path: '/elements/',
      query: { page: '2' },
      nth: 2,
      action: { kind: 'status', status: 429, headers: { 'Retry-After': '3' }, body: { detail: 'slow down' } },
    });
    const page2 = elementsQuery({ service: STILLS, page_size: 10, page: 2 });
    expect((await api(sim, elementsQuery({ service: STILLS, page_size: 10 }))).status).toBe(200);
    expect((await api(sim, page2)).status).toBe(200); // the first call matching page=2 passes
    const refused = await api(sim, page2);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(refused.json).toEqual({ detail: 'slow down' });
    expect((await api(sim, page2)).status).toBe(200);
  });

  it('matches by predicate and by RegExp, and can be removed', async () => {
    const sim = await startSim(SMALL);
    const handle = sim.injectFault({
      host: 'api',
      path: /\/inventory\/?$/,
      when: (c) => c.method === 'GET',
      times: Infinity,
      action: { kind: 'status', status: 500, body: 'oops' },
    });
    const r = await api(sim, `/services/${STILLS}/inventory/`);
    expect(r.status).toBe(500);
    expect(r.text).toBe('oops');
    expect((await api(sim, '/assets/')).status).toBe(200);
    handle.remove();
    expect((await api(sim, `/services/${STILLS}/inventory/`)).status).toBe(200);
  });

  it('drops the connection before any answer', async () => {
    const sim = await startSim(SMALL);
    sim.injectFault({ host: 'api', action: { kind: 'reset' } });
    await expect(api(sim, '/assets/')).rejects.toThrow();
    await sleep(20);
    expect(sim.calls('api')[0]).toMatchObject({ status: null, fault: 'reset', completed: false });
    expect((await api(sim, '/assets/')).status).toBe(200);
  });

  it('breaks a JSON page mid-body', async () => {
    const sim = await startSim(SMALL);
    sim.injectFault({ host: 'api', path: '/elements/', action: { kind: 'resetMidBody', afterBytes: 100 } });
    const res = await fetch(`${sim.url}${elementsQuery({ service: STILLS })}`, {
      headers: { Authorization: `Token ${sim.token}` },
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await sleep(20);
    expect(sim.calls('api')[0]).toMatchObject({ bodyBytes: 100, completed: false, fault: 'resetMidBody' });
  });

  it('delays an answer, and stalls one until the client gives up', async () => {
    const sim = await startSim(SMALL);
    sim.injectFault({ host: 'api', action: { kind: 'delay', ms: 250 } });
    const started = Date.now();
    expect((await api(sim, '/assets/')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    sim.injectFault({ host: 'api', action: { kind: 'stall' } });
    const stalled = fetch(`${sim.url}/assets/`, {
      headers: { Authorization: `Token ${sim.token}` },
      signal: AbortSignal.timeout(200),
    }).then(async (r) => r.text());
    await expect(stalled).rejects.toThrow();
  });

  it('refuses rules that make no sense', async () => {
    const sim = await startSim(SMALL);
    expect(() => sim.injectFault({ times: 0, action: { kind: 'reset' } })).toThrow(RangeError);
    expect(() => sim.injectFault({ nth: 0, action: { kind: 'reset' } })).toThrow(RangeError);
    expect(() => sim.injectFault({ action: { kind: 'status', status: 42 } })).toThrow(RangeError);
  });
});

describe('media faults', () => {
  it('answers S3-style errors and resets before headers, only on the host the rule names', async () => {
    const sim = await startSim(SMALL);
    const url = sim.elements(STILLS, undefined, undefined, { sha256: false })[0]?.url ?? '';
    sim.injectFault({ host: 'media', action: { kind: 'status', status: 503, headers: { 'Retry-After': '1' } } });
    sim.injectFault({ host: 'media', action: { kind: 'reset' } });
    expect((await api(sim, '/assets/')).status).toBe(200);
    const slow = await fetch(url);
    expect(slow.status).toBe(503);
    expect(slow.headers.get('retry-after')).toBe('1');
    expect(await slow.text()).toContain('<Code>SlowDown</Code>');
    await expect(fetch(url)).rejects.toThrow();
    expect((await readAll(await fetch(url))).length).toBe(2_000);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past perSecond calls in a second, counting only the calls let through', async () => {
    const sim = await startSim({ ...SMALL, rateLimit: { perSecond: 3 } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api(sim, '/assets/')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await api(sim, '/assets/');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
    await sleep(1050);
    expect((await api(sim, '/assets/')).status).toBe(200);
    await sleep(20);
    expect(sim.calls('api').filter((c) => c.throttled)).toHaveLength(3);
    expect(sim.stats().api.peakCallsPerSecond).toBeGreaterThanOrEqual(6);
  });

  it('authenticates before it throttles, can leave Retry-After out, and can be turned off', async () => {
    const sim = await startSim({ ...SMALL, rateLimit: { perSecond: 1, retryAfter: false } });
    expect((await api(sim, '/assets/')).status).toBe(200);
    expect((await api(sim, '/assets/', { token: null })).status).toBe(401);
    const refused = await api(sim, '/assets/');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    sim.configure({ rateLimit: null });
    expect((await api(sim, '/assets/')).status).toBe(200);
    expect(() => sim.configure({ rateLimit: { perSecond: 0 } })).toThrow(RangeError);
  });

  it('records the most API calls started within one second', async () => {
    const sim = await startSim(SMALL);
    await Promise.all([1, 2, 3, 4].map(() => api(sim, '/assets/')));
    await sleep(20);
    expect(sim.stats().api).toMatchObject({ calls: 4, peakCallsPerSecond: 4, inFlight: 0 });
    expect(sim.stats().api.peakInFlight).toBeGreaterThanOrEqual(1);
  });

  it('adds latency to every API answer', async () => {
    const sim = await startSim({ ...SMALL, latencyMs: 150 });
    const started = Date.now();
    await api(sim, '/assets/');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
