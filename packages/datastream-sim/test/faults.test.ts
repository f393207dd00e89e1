import { describe, expect, it } from 'vitest';
import { get, getUrl, pullAll, sleep, startSim, type Page } from './helpers.js';

describe('faults', () => {
  it('answers an injected status, with Retry-After and a body, the given number of times', async () => {
    const sim = await startSim();
    for (const status of [408, 504, 413, 429, 500, 502, 503]) {
      sim.injectFault({ action: { kind: 'status', status } });
      const answer = await get(sim, 'Observations');
      expect(answer.status, String(status)).toBe(status);
      expect(answer.json, String(status)).toHaveProperty('message');
      expect((await get(sim, 'Observations')).status, `after ${status}`).toBe(200);
    }
    const handle = sim.injectFault({
      resources: ['Observations'],
      times: 2,
      action: { kind: 'status', status: 503, retryAfter: 3, body: { message: 'Service Unavailable, try later' } },
    });
    expect((await get(sim, 'Locations')).status).toBe(200);
    const first = await get(sim, 'Observations');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.json).toEqual({ message: 'Service Unavailable, try later' });
    expect(handle.remaining()).toBe(1);
    expect((await get(sim, 'Observations')).status).toBe(503);
    expect((await get(sim, 'Observations')).status).toBe(200);
    expect(sim.calls().filter((c) => c.fault === 'status')).toHaveLength(9);
  });

  it('acts on the n-th matching call, matched by query values or a predicate, and can be removed', async () => {
    const sim = await startSim();
    sim.injectFault({ nth: 3, action: { kind: 'status', status: 502 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(sim, 'Metadata')).status);
    expect(statuses).toEqual([200, 200, 502, 200]);

    sim.injectFault({ match: { $top: '1000' }, times: Infinity, action: { kind: 'status', status: 504 } });
    expect((await get(sim, 'Observations', { $top: 1000 })).status).toBe(504);
    expect((await get(sim, 'Observations', { $top: 999 })).status).toBe(200);
    sim.clearFaults();
    expect((await get(sim, 'Observations', { $top: 1000 })).status).toBe(200);

    const handle = sim.injectFault({
      when: (call) => call.query['$skiptoken'] !== undefined,
      times: Infinity,
      action: { kind: 'status', status: 500 },
    });
    const page = (await get(sim, 'Observations', { $top: 5 })).json as Page;
    expect((await getUrl(sim, page['@odata.nextLink'] ?? '')).status).toBe(500);
    handle.remove();
    expect((await getUrl(sim, page['@odata.nextLink'] ?? '')).status).toBe(200);
  });

  it('drops the connection before the headers', async () => {
    const sim = await startSim();
    sim.injectFault({ action: { kind: 'reset' } });
    await expect(get(sim, 'Locations')).rejects.toThrow();
    await sleep(20);
    expect(sim.calls()[0]).toMatchObject({ status: null, fault: 'reset', completed: false, reset: true, bytesSent: 0 });
    expect((await get(sim, 'Locations')).status).toBe(200);
  });

  it('drops the connection part-way through the body, after the bytes asked for or half', async () => {
    const sim = await startSim({ compression: false });
    const whole = await get(sim, 'Observations', { $top: 300 });
    const size = Buffer.byteLength(whole.text);
    sim.injectFault({ action: { kind: 'resetMidBody', afterBytes: 1000 } });
    await expect(get(sim, 'Observations', { $top: 300 })).rejects.toThrow();
    sim.injectFault({ action: { kind: 'resetMidBody' } });
    await expect(get(sim, 'Observations', { $top: 300 })).rejects.toThrow();
    await sleep(20);
    const [, cut, half] = sim.calls();
    expect(cut).toMatchObject({ status: 200, fault: 'resetMidBody', bytesSent: 1000, completed: false, reset: true });
    expect(half).toMatchObject({ status: 200, bytesSent: Math.floor(size / 2), completed: false });
    expect((await get(sim, 'Observations', { $top: 300 })).text).toBe(whole.text);
  });

  it('delays an answer, then answers normally (and the call counts as in flight meanwhile)', async () => {
    const sim = await startSim({ rateLimit: { requestsPerSecond: 10 } });
    sim.injectFault({ action: { kind: 'delay', ms: 300 } });
    const started = Date.now();
    const slow = get(sim, 'Metadata');
    await sleep(50);
    expect((await get(sim, 'Metadata')).status).toBe(429);
    expect((await slow).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses malformed rules', () => {
    return startSim().then((sim) => {
      expect(() => sim.injectFault({ times: 0, action: { kind: 'reset' } })).toThrow(/times/);
      expect(() => sim.injectFault({ nth: 0, action: { kind: 'reset' } })).toThrow(/nth/);
      expect(() => sim.injectFault({ action: { kind: 'status', status: 42 } })).toThrow(/status/);
    });
  });
});

describe('load thresholds', () => {
  it('answers 504 above timeoutAboveTop and 413 above tooLargeAboveTop, so a client halving $top gets through', async () => {
    const sim = await startSim({ timeoutAboveTop: 4000, tooLargeAboveTop: 1000 });
    const timeout = await get(sim, 'Observations', { $top: 5000 });
    expect(timeout.status).toBe(504);
    expect(timeout.json).toEqual({ message: 'Endpoint request timed out' });
    const tooLarge = await get(sim, 'Observations', { $top: 2000 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toEqual({ message: 'Payload Too Large' });
    expect((await get(sim, 'Observations', { $top: 1000 })).status).toBe(200);
    // Only Observations and Records by default.
    expect((await get(sim, 'Locations', { $top: 5000 })).status).toBe(200);
    expect((await get(sim, 'Records', { $top: 2000 })).status).toBe(413);
    // A count is not a page.
    expect((await get(sim, 'Observations', { $top: 5000, $count: 'true' })).status).toBe(200);

    // The halving loop a client would run.
    let top = 10_000;
    const seen: number[] = [];
    for (;;) {
      const answer = await get(sim, 'Records', { $top: top });
      seen.push(answer.status);
      if (answer.status === 200) break;
      top = Math.floor(top / 2);
    }
    expect(top).toBe(625);
    expect(seen).toEqual([504, 504, 413, 413, 200]);
    expect(sim.calls().at(-2)?.refusal).toBe('too-large-threshold');
    expect(sim.calls().at(-4)?.refusal).toBe('timeout-threshold');
  });

  it('can answer 408, take its time, apply to chosen resources, and refuse pages over a byte size', async () => {
    const sim = await startSim({
      timeoutAboveTop: 10,
      timeoutStatus: 408,
      timeoutDelayMs: 200,
      thresholdResources: ['Locations'],
    });
    const started = Date.now();
    expect((await get(sim, 'Locations', { $top: 11 })).status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await get(sim, 'Observations', { $top: 11 })).status).toBe(200);

    sim.configure({ timeoutAboveTop: null, thresholdResources: ['Observations'], tooLargeAboveBytes: 20_000 });
    expect((await get(sim, 'Observations', { $top: 100 })).status).toBe(413);
    // Fewer fields fit where all of them did not.
    const narrow = await get(sim, 'Observations', { $top: 100, $select: 'Id,ResultValue' });
    expect(narrow.status).toBe(200);
    const { rows } = await pullAll(sim, 'Observations', { $top: 20, $select: 'Id' });
    expect(rows).toEqual(sim.rows('Observations', { select: ['Id'] }));
  });
});
