import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cancelOrder, getOrderEvents, restartOrder } from '@onc-orders/jobs';
import { ctdAtBarkleyCanyon, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

const week = { ...ctdAtBarkleyCanyon, dateFrom: '2016-07-01', dateTo: '2016-07-21' };

async function partialFiles(harness: SystemHarness, orderId: string): Promise<string[]> {
  const names = await readdir(join(harness.downloadDir, orderId)).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.part'));
}

describe('cancel and restart', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('cancels a running 20-product order everywhere within 5 s, then restarts it and downloads only what is missing', async () => {
    // Half the products finish ONC's processing at once and start downloading (two downloads hang mid-body, so they
    // are surely in flight when the cancel comes); the other half are still running on ONC.
    harness = await startSystemHarness({
      sim: {
        behaviour: { filesPerRun: 2, fileSizeBytes: 1024 * 1024, metadataFile: false },
        behaviourFor: (filters) =>
          Number(filters['dateFrom']?.slice(8, 10)) % 2 === 0 ? { runningMs: 8_000 } : { runningMs: 20 },
      },
      env: { ONC_MAX_DOWNLOADS: '4', ONC_MAX_RPS: '50' },
    });
    const stall = harness.sim.injectFault({
      methods: ['download'],
      times: 2,
      action: { kind: 'stall', afterBytes: 256 * 1024 },
    });
    harness.startWorker({}, 'worker-a');
    harness.startWorker({}, 'worker-b');
    const orderId = await harness.submit({ filters: week, split: 'P1D' });
    expect((await harness.view(orderId))?.products).toHaveLength(20);
    await waitFor(
      'downloads in flight and ONC runs in progress',
      async () => {
        const counts = await harness?.queues.downloadsOf('onc').getJobCounts('active');
        const view = await harness?.view(orderId);
        const running = view?.products.filter((product) => product.status === 'running').length ?? 0;
        return (counts?.['active'] ?? 0) >= 2 && running >= 5 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );

    const cancelledAt = Date.now();
    const result = await cancelOrder(harness.control, orderId);
    expect(result).toBe('cancelled');
    // Whatever stall is left must not catch a download after the restart.
    stall.remove();

    let lastSeen = {};
    await waitFor(
      'the order to stop everywhere',
      async () => {
        const control = await harness?.queues.control.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        const downloads = await harness?.queues
          .downloadsOf('onc')
          .getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        const busy = [...Object.values({ ...control }), ...Object.values({ ...downloads })].reduce((a, b) => a + b, 0);
        const onOnc =
          harness?.sim.requests().flatMap((request) => request.runIds.map((id) => harness?.sim.run(id)?.status)) ?? [];
        const stillWorking = onOnc.filter((status) => status === 'queued' || status === 'running').length;
        const partial = await partialFiles(harness as SystemHarness, orderId);
        lastSeen = { control, downloads, stillWorking, partial };
        return busy === 0 && stillWorking === 0 && partial.length === 0 ? true : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen ${JSON.stringify(lastSeen)}`);
    });
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    const cancelled = await harness.view(orderId);
    expect(cancelled?.status).toBe('cancelled');
    const completeBefore =
      cancelled?.products.flatMap((product) => product.files).filter((file) => file.status === 'complete') ?? [];
    expect(harness.sim.calls().filter((call) => call.method === 'cancel').length).toBeGreaterThan(0);

    const restarted = await restartOrder(harness.control, orderId, { changes: { deleteFile: false } });
    expect(restarted).toBe('restarted');
    const done = await harness.waitForOrder(orderId, ['completed', 'failed'], 120_000);
    expect(done.status).toBe('completed');
    expect(done.deleteFile).toBe(false);
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'restart').length).toBeGreaterThan(0);
    // Files complete before the cancel were not fetched again.
    for (const file of completeBefore) {
      const fetches = calls.filter(
        (call) =>
          call.method === 'download' &&
          call.status === 200 &&
          call.completed &&
          call.params['dpRunId'] === String(file.dpRunId) &&
          call.params['index'] === file.index,
      );
      expect(fetches).toHaveLength(1);
    }
    const partialAfter = await partialFiles(harness, orderId);
    expect(partialAfter).toEqual([]);
    const kinds = (await getOrderEvents(harness.database.db, orderId)).map((event) => event.kind);
    expect(kinds).toContain('cancel');
    expect(kinds).toContain('restart');
  }, 120_000);
});
