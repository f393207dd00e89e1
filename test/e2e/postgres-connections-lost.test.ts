import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ctdAtBarkleyCanyon, rawRows, sha256OfFile, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

/**
 * What a failover or a restart of PostgreSQL does to a fleet: every connection of every worker ends at once, some
 * in the middle of a transaction. Always on PostgreSQL, whatever TEST_DATABASE says: SQLite has no connections to lose.
 */
describe('PostgreSQL ends every connection of the workers mid-order', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  /** Ends every other session on the order's database, as the server does when it restarts; how many it ended. */
  const endEveryConnection = async (h: SystemHarness): Promise<number> => {
    const [row] = await rawRows<{ ended: number }>(
      h.database,
      `SELECT count(pg_terminate_backend(pid))::integer AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return row?.ended ?? 0;
  };

  it('the workers live on, reconnect and finish: every file verified, no run or whole file twice', async () => {
    harness = await startSystemHarness({
      dialect: 'postgres',
      // Files that take a second or two to arrive, so the connections end while bodies are on their way too.
      sim: { behaviour: { runningMs: 1_000, filesPerRun: 2, fileSizeBytes: 300_000, bandwidthBytesPerSec: 200_000 } },
      env: { RECONCILE_INTERVAL_MS: '1000' },
    });
    const h = harness;
    const workers = [h.startWorker({}, 'worker-a'), h.startWorker({}, 'worker-b')];
    const orderId = await h.submit({
      filters: { ...ctdAtBarkleyCanyon, dateFrom: '2016-07-01', dateTo: '2016-07-07' },
      split: 'P1D',
    });

    await waitFor('every product to be running on ONC', async () => {
      const view = await h.view(orderId);
      return view && view.products.every((product) => product.status === 'running') ? true : undefined;
    });
    expect(await endEveryConnection(h)).toBeGreaterThan(0);
    await waitFor(
      'a download under way',
      async () => {
        const view = await h.view(orderId);
        return view?.products.some((product) => product.files.some((file) => file.status === 'downloading'))
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(await endEveryConnection(h)).toBeGreaterThan(0);

    const order = await h.waitForOrder(orderId, ['completed', 'failed', 'cancelled'], 90_000);
    expect(order.status, JSON.stringify(order.progress)).toBe('completed');
    for (const worker of workers) {
      const state = await Promise.race([worker.exited, Promise.resolve('alive' as const)]);
      expect(state, `${worker.logPath} should still be running`).toBe('alive');
    }
    let files = 0;
    for (const product of order.products) {
      expect(product.status).toBe('complete');
      // Besides its files, a product may hold the index past its last one, which ONC answered as absent.
      expect(product.files.filter((file) => !['complete', 'absent'].includes(file.status))).toEqual([]);
      for (const file of product.files.filter((f) => f.status === 'complete')) {
        files += 1;
        const expected = h.sim.fileSha256(file.dpRunId ?? 0, file.index === 'meta' ? 'meta' : Number(file.index));
        expect(file.sha256).toBe(expected);
        expect(await sha256OfFile(join(h.downloadDir, file.path ?? ''))).toBe(expected);
      }
    }
    expect(files).toBe(6 * 3);
    const left = await readdir(join(h.downloadDir, orderId));
    expect(left.filter((name) => name.endsWith('.part'))).toEqual([]);

    const calls = h.sim.calls();
    // A connection that ends between ONC's answer to a request and its saving is a crash in that window: ONC's
    // requests are not idempotent, so the product asks again and counts the first as lost (as crash-windows tests).
    const lost = order.products.reduce((sum, product) => sum + product.requestsLost, 0);
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(6 + lost);
    expect(order.products.reduce((sum, product) => sum + product.requestsSent, 0)).toBe(6 + lost);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(6);
    const whole = calls.filter((call) => call.method === 'download' && call.status === 200 && call.completed);
    const perFile = new Set(whole.map((call) => `${call.params['dpRunId']}/${call.params['index']}`));
    expect(perFile.size, 'no file was fetched whole twice').toBe(whole.length);
  });
});
