import { describe, expect, it } from 'vitest';
import { REDACTED } from '../src/index.js';
import { CTD_REQUEST, call, startSim } from './helpers.js';

describe('call log', () => {
  it('records each call with the token redacted and the URL form used', async () => {
    const seen: string[] = [];
    const sim = await startSim({ tokens: ['secret-token-1'], onCall: (c) => seen.push(c.url) });
    await call(sim, 'request', CTD_REQUEST, { form: 'query', token: 'secret-token-1' });
    await call(sim, 'status', { dpRequestId: 3000001 }, { token: 'secret-token-1' });
    await call(sim, 'status', { dpRequestId: 3000001 }, { token: 'wrong-token' });
    const calls = sim.calls();
    expect(calls.map((c) => [c.seq, c.urlForm, c.method, c.status])).toEqual([
      [1, 'query', 'request', 200],
      [2, 'path', 'status', 200],
      [3, 'path', 'status', 401],
    ]);
    expect(calls.every((c) => c.params['token'] === REDACTED && c.completed)).toBe(true);
    // Each answer's end is noted, on the same clock as its arrival.
    expect(calls.every((c) => c.endedAt !== null && c.endedAt >= c.at)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(3);
    expect(JSON.stringify(calls) + seen.join()).not.toMatch(/secret-token-1|wrong-token/);
    sim.clearCalls();
    expect(sim.calls()).toEqual([]);
  });

  it('notes when a slow answer ended, after it began', async () => {
    const sim = await startSim();
    sim.injectFault({ methods: ['request'], times: 1, action: { kind: 'delay', ms: 200 } });
    await call(sim, 'request', CTD_REQUEST);
    const [delayed] = sim.calls();
    expect((delayed?.endedAt ?? 0) - (delayed?.at ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('tracks how many calls were in flight at once', async () => {
    const sim = await startSim();
    sim.injectFault({ methods: ['request'], times: 3, action: { kind: 'delay', ms: 200 } });
    await Promise.all([
      call(sim, 'request', CTD_REQUEST),
      call(sim, 'request', CTD_REQUEST),
      call(sim, 'request', CTD_REQUEST),
    ]);
    await call(sim, 'status', { dpRequestId: 3000001 });
    expect(sim.stats()).toEqual({ inFlight: 0, peakInFlight: 3, peakInFlightByMethod: { request: 3, status: 1 } });
  });
});
