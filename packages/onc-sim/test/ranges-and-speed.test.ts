import { describe, expect, it } from 'vitest';
import type { OncSimulatorOptions } from '../src/index.js';
import { call, requestAndRun, startSim, urlFor } from './helpers.js';

async function completedRun(options: OncSimulatorOptions = {}) {
  const sim = await startSim({ ...options, behaviour: { queuedMs: 0, runningMs: 0, ...options.behaviour } });
  const { runIds } = await requestAndRun(sim);
  return { sim, dpRunId: runIds[0] ?? 0 };
}

const get = (url: string, range?: string) => fetch(url, range ? { headers: { Range: range } } : {});

describe('Range requests', () => {
  it('answers bytes=N- with 206 and the rest of the file, and deletes the file once its end is sent', async () => {
    const { sim, dpRunId } = await completedRun({ behaviour: { fileSizeBytes: 200_000 } });
    const whole = sim.fileContent(dpRunId, 1);
    const url = urlFor(sim, 'download', { dpRunId, index: 1 });

    const head = await get(url, 'bytes=0-99');
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe('bytes 0-99/200000');
    expect(head.headers.get('content-length')).toBe('100');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await head.arrayBuffer()).equals(whole.subarray(0, 100))).toBe(true);
    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(false); // a range short of the end does not delete

    const rest = await get(url, 'bytes=70000-');
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe('bytes 70000-199999/200000');
    expect(Buffer.from(await rest.arrayBuffer()).equals(whole.subarray(70_000))).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(true);
  });

  it('serves suffix ranges, refuses ranges past the end with 416, and ignores forms it does not know', async () => {
    const { sim, dpRunId } = await completedRun({ behaviour: { fileSizeBytes: 1000 } });
    const whole = sim.fileContent(dpRunId, 1);
    const url = urlFor(sim, 'download', { dpRunId, index: 1, deleteFile: 'false' });
    const suffix = await get(url, 'bytes=-10');
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(whole.subarray(990))).toBe(true);
    const past = await get(url, 'bytes=1000-');
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
    for (const ignored of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3']) {
      const r = await get(url, ignored);
      expect(r.status, ignored).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(whole), ignored).toBe(true);
    }
  });

  it('ignores Range entirely when range support is off', async () => {
    const { sim, dpRunId } = await completedRun({ behaviour: { fileSizeBytes: 1000, rangeSupport: false } });
    const r = await get(urlFor(sim, 'download', { dpRunId, index: 1 }), 'bytes=500-');
    expect(r.status).toBe(200);
    expect(r.headers.get('accept-ranges')).toBeNull();
    expect((await r.arrayBuffer()).byteLength).toBe(1000);
  });
});

describe('speed', () => {
  it('limits each download to the configured bandwidth', async () => {
    const { sim, dpRunId } = await completedRun({
      behaviour: { fileSizeBytes: 100_000, bandwidthBytesPerSec: 200_000 },
    });
    const started = Date.now();
    const r = await call(sim, 'download', { dpRunId, index: 1 });
    const elapsed = Date.now() - started;
    expect(r.body.length).toBe(100_000);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
  });

  it('adds latency before every answer', async () => {
    const sim = await startSim({ latencyMs: 250 });
    const started = Date.now();
    expect((await call(sim, 'status', { dpRequestId: 1 })).status).toBe(400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    sim.configure({ latencyMs: 0 });
    const again = Date.now();
    await call(sim, 'status', { dpRequestId: 1 });
    expect(Date.now() - again).toBeLessThan(200);
  });

  it('serves a 1 GiB file at hundreds of MB/s without holding it in memory', async () => {
    const size = 2 ** 30;
    const { sim, dpRunId } = await completedRun({ behaviour: { fileSizeBytes: size, filesPerRun: 1 } });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const started = process.hrtime.bigint();
    const res = await fetch(urlFor(sim, 'download', { dpRunId, index: 1 }));
    let received = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if ((received & 0x3ffffff) < chunk.length) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(received).toBe(size);
    expect(size / seconds / 1e6).toBeGreaterThan(100); // MB/s, client and server sharing one process
    expect(peakRss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });
});
