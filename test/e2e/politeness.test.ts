import { getOrderEvents } from '@onc-orders/jobs';
import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

describe('politeness toward ONC across the whole fleet', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('two workers together keep to ONC_MAX_DOWNLOADS downloads at once and ONC_MAX_RPS calls per second', async () => {
    harness = await startSystemHarness({
      sim: {
        behaviour: { filesPerRun: 2, fileSizeBytes: 512 * 1024, bandwidthBytesPerSec: 1024 * 1024, runningMs: 100 },
      },
      env: {
        ONC_MAX_DOWNLOADS: '2',
        ONC_MAX_RPS: '5',
        WORKER_DOWNLOAD_CONCURRENCY: '8',
        WORKER_CONTROL_CONCURRENCY: '8',
      },
    });
    harness.startWorker({}, 'worker-a');
    harness.startWorker({}, 'worker-b');
    const orderId = await harness.submit({
      filters: { ...ctdAtBarkleyCanyon, dateFrom: '2016-07-01', dateTo: '2016-07-07' },
      split: 'P1D',
    });
    const order = await harness.waitForOrder(orderId, undefined, 90_000);
    expect(order.status).toBe('completed');

    // Downloads at once, as the workers ran them: each file from its move to `downloading` to its end. (The
    // simulator's own count lags: it sees a response end only when its socket has flushed, after the worker is done.)
    const events = getOrderEvents(harness.database.db, orderId).filter((event) => event.entity === 'file');
    const edges: Array<[number, number]> = [];
    for (const event of events) {
      if (event.to === 'downloading') edges.push([Date.parse(event.at), 1]);
      if (event.from === 'downloading') edges.push([Date.parse(event.at), -1]);
    }
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inFlight = 0;
    let peak = 0;
    for (const [, change] of edges) {
      inFlight += change;
      peak = Math.max(peak, inFlight);
    }
    expect(peak).toBe(2);
    const calls = harness.sim.calls().filter((call) => call.method !== null);
    // As the simulator received them: no sixth call in any one second, whatever delay each call met on its way.
    const windowMs = 1_000;
    let busiest = 0;
    for (const [i, call] of calls.entries()) {
      let inWindow = 0;
      for (let j = i; j < calls.length && (calls[j]?.at ?? Infinity) < call.at + windowMs; j += 1) inWindow += 1;
      busiest = Math.max(busiest, inWindow);
    }
    expect(busiest).toBeLessThanOrEqual(5);
    // 6 products × (request, run, status…, 3 files + a 404 each): well over five calls, so the cap was exercised.
    const seconds = ((calls.at(-1)?.at ?? 0) - (calls[0]?.at ?? 0)) / 1000;
    expect(calls.length / Math.max(seconds, 1)).toBeLessThanOrEqual(5.5);
    expect(calls.length).toBeGreaterThan(30);
  }, 120_000);
});
