import { ctdAtBarkleyCanyon, deleteKeysWithPrefix, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

describe('Redis loses every key of the project mid-order', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('the workers rebuild the queues from SQLite: nothing lost, nothing done twice', async () => {
    harness = await startSystemHarness({
      sim: { behaviour: { runningMs: 1_500, filesPerRun: 2 } },
      env: { RECONCILE_INTERVAL_MS: '1000' },
    });
    harness.startWorker();
    const orderId = await harness.submit({
      filters: { ...ctdAtBarkleyCanyon, dateFrom: '2016-07-01', dateTo: '2016-07-07' },
      split: 'P1D',
    });
    // Wait until ONC is working on every product, so the wipe takes delayed polls with it.
    await waitFor('every product to be running on ONC', async () => {
      const view = await harness?.view(orderId);
      return view && view.products.every((product) => product.status === 'running') ? true : undefined;
    });
    const deleted = await deleteKeysWithPrefix(harness.env['REDIS_URL'] ?? '', harness.prefix);
    expect(deleted).toBeGreaterThan(0);

    const order = await harness.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    expect(order.products).toHaveLength(6);
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(6);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(6);
    const fullDownloads = calls.filter((call) => call.method === 'download' && call.status === 200 && call.completed);
    const perFile = new Set(fullDownloads.map((call) => `${call.params['dpRunId']}/${call.params['index']}`));
    expect(perFile.size).toBe(fullDownloads.length);
    expect(fullDownloads).toHaveLength(6 * 3);
  });
});
