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

    // Downloads at once, as ONC saw them: each from the request's arrival to the moment its answer's last byte left
    // (a worker gives up its slot once a file's bytes are in; the fsync and bookkeeping come after).
    // The simulator runs in this busy test process, so it notes an answer's end a few ms late: a new request that
    // arrives within `lagMs` of another answer's noted end is not counted as overlapping it.
    const lagMs = 25;
    const downloads = harness.sim.calls().filter((call) => call.method === 'download');
    const edges: Array<[number, number]> = downloads.flatMap((call): Array<[number, number]> => [
      [call.at, 1],
      [Math.max(call.at, (call.endedAt ?? Infinity) - lagMs), -1],
    ]);
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
