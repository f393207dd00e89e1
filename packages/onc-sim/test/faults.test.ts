import { describe, expect, it } from 'vitest';
import { CTD_REQUEST, call, requestAndRun, startSim, urlFor } from './helpers.js';

describe('faults', () => {
  it('answers with an injected status the given number of times, then normally', async () => {
    const sim = await startSim();
    const handle = sim.injectFault({ methods: ['request'], times: 2, action: { kind: 'status', status: 500 } });
    expect((await call(sim, 'request', CTD_REQUEST)).status).toBe(500);
    expect(handle.remaining()).toBe(1);
    expect((await call(sim, 'request', CTD_REQUEST)).status).toBe(500);
    expect((await call(sim, 'request', CTD_REQUEST)).status).toBe(200);
    expect(sim.requests()).toHaveLength(1); // faulted calls change nothing
  });

  it('sends an injected body and headers', async () => {
    const sim = await startSim();
    sim.injectFault({
      action: { kind: 'status', status: 503, body: { message: 'maintenance' }, headers: { 'Retry-After': '7' } },
    });
    const r = await call(sim, 'status', { dpRequestId: 1 });
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ message: 'maintenance' });
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('only affects the methods and calls it matches, and can be removed', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0 } });
    const handle = sim.injectFault({
      methods: ['download'],
      when: (c) => c.params['index'] === '2',
      times: Infinity,
      action: { kind: 'status', status: 502 },
    });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(200);
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(502);
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(502);
    handle.remove();
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(200);
  });

  it('drops the connection without an answer', async () => {
    const sim = await startSim();
    sim.injectFault({ methods: ['request'], action: { kind: 'reset' } });
    await expect(call(sim, 'request', CTD_REQUEST)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(sim.calls()[0]).toMatchObject({ method: 'request', status: null, fault: 'reset', completed: false });
    expect((await call(sim, 'request', CTD_REQUEST)).status).toBe(200);
  });

  it('delays an answer, then handles the call normally', async () => {
    const sim = await startSim();
    sim.injectFault({ methods: ['request'], action: { kind: 'delay', ms: 300 } });
    const started = Date.now();
    const slow = await call(sim, 'request', CTD_REQUEST);
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    await expect(call(sim, 'request', CTD_REQUEST)).resolves.toMatchObject({ status: 200 });
    sim.injectFault({ methods: ['request'], action: { kind: 'delay', ms: 2000 } });
    await expect(call(sim, 'request', CTD_REQUEST, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });

  it('truncates a download mid-body and keeps the file', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0, fileSizeBytes: 300_000 } });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    sim.injectFault({ methods: ['download'], action: { kind: 'truncate', afterBytes: 100_000 } });
    const res = await fetch(urlFor(sim, 'download', { dpRunId, index: 1 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('300000');
    let received = 0;
    const read = (async () => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length;
    })();
    await expect(read).rejects.toThrow();
    expect(received).toBe(100_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(false);
    expect(sim.calls().at(-1)).toMatchObject({ fault: 'truncate', bodyBytes: 100_000, completed: false });
    const full = await call(sim, 'download', { dpRunId, index: 1 });
    expect(full.body.equals(sim.fileContent(dpRunId, 1))).toBe(true);
  });

  it('stalls a download mid-body until the client gives up', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0, fileSizeBytes: 200_000 } });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    sim.injectFault({ methods: ['download'], action: { kind: 'stall', afterBytes: 1000 } });
    const controller = new AbortController();
    const res = await fetch(urlFor(sim, 'download', { dpRunId, index: 1 }), { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
    let received = 0;
    const next = async () => {
      const r = await Promise.race([
        reader?.read(),
        new Promise<'idle'>((resolve) => setTimeout(() => resolve('idle'), 300)),
      ]);
      return r;
    };
    for (;;) {
      const r = await next();
      if (r === 'idle' || !r || r.done) {
        expect(r).toBe('idle');
        break;
      }
      received += r.value.length;
    }
    expect(received).toBe(1000);
    controller.abort();
    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(false);
  });

  it('closes even with a stalled download open', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0, fileSizeBytes: 200_000 } });
    const { runIds } = await requestAndRun(sim);
    sim.injectFault({ methods: ['download'], action: { kind: 'stall', afterBytes: 10 } });
    const res = await fetch(urlFor(sim, 'download', { dpRunId: runIds[0] ?? 0, index: 1 }));
    const body = res.arrayBuffer();
    await sim.close();
    await expect(body).rejects.toThrow();
  });

  it('answers 202 "Transferring" or 410 for a ready file, matched by parameters, and the file stays', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0 } });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    sim.injectFault({ methods: ['download'], match: { index: '2' }, action: { kind: 'notReadyAfterComplete' } });
    sim.injectFault({ methods: ['download'], match: { index: '1' }, action: { kind: 'goneBeforeReady' } });
    const notReady = await call(sim, 'download', { dpRunId, index: 2 });
    expect(notReady.status).toBe(202);
    expect(notReady.json).toEqual({
      status: 'running',
      message: `Transferring (${sim.run(dpRunId)?.files[1]?.name}) to the FTP server`,
    });
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(410);
    expect(sim.run(dpRunId)?.files.map((f) => f.removed)).toEqual([false, false]);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(200);
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(200);
  });

  it('truncates at half the body by default', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0, fileSizeBytes: 10_000 } });
    const { runIds } = await requestAndRun(sim);
    sim.injectFault({ methods: ['download'], action: { kind: 'truncate' } });
    await expect(call(sim, 'download', { dpRunId: runIds[0] ?? 0, index: 1 })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(sim.calls().at(-1)).toMatchObject({ bodyBytes: 5_000, completed: false });
  });
});

describe('chaos', () => {
  /** The statuses a fixed sequence of calls gets (null for a broken download). */
  async function statuses(seed: number): Promise<(number | null)[]> {
    const sim = await startSim({
      behaviour: { queuedMs: 0, runningMs: 0, filesPerRun: 10, fileSizeBytes: 20_000 },
      chaos: { seed, http500: 0.2, http503: 0.1, resetMidBody: 0.2, notReadyAfterComplete: 0.1, goneBeforeReady: 0.1 },
    });
    sim.injectFault({ methods: ['request', 'run'], times: Infinity, action: { kind: 'delay', ms: 0 } }); // keep setup calls fault-free
    const { runIds } = await requestAndRun(sim);
    const out: (number | null)[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call(sim, 'download', {
        dpRunId: runIds[0] ?? 0,
        index: (i % 10) + 1,
        deleteFile: 'false',
      }).catch(() => null);
      out.push(r ? r.status : null);
    }
    return out;
  }

  it('is deterministic for a seed and varies with it', async () => {
    const a = await statuses(42);
    const b = await statuses(42);
    const c = await statuses(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const s of [500, 503, 202, 410, null, 200]) expect(a, String(s)).toContain(s);
  });

  it('refuses probabilities that make no sense', async () => {
    const sim = await startSim();
    expect(() => sim.configure({ chaos: { seed: 1, http500: 1.5 } })).toThrow(RangeError);
    expect(() => sim.configure({ chaos: { seed: 1, http500: 0.6, http503: 0.6 } })).toThrow(RangeError);
  });
});
