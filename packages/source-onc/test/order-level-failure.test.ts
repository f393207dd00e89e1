import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile, restartOrder } from '@onc-orders/jobs';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

describe('an order whose own last step keeps failing', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('ends failed after a bounded number of tries, shows why, stays failed, and can be restarted', async () => {
    harness = await startPipelineHarness({ config: { maxAttempts: 3, retryBaseMs: 20 } });
    await harness.startWorkers();
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon });
    // A folder where manifest.json must go: every attempt to finish the order fails, as on an unwritable folder.
    const blocker = join(harness.downloadDir, orderId, 'manifest.json');
    await mkdir(blocker, { recursive: true });
    await writeFile(join(blocker, 'in-the-way'), 'x');

    const failed = await harness.waitForOrder(orderId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/could not finish the order/);
    expect(failed.products.map((product) => product.status)).toEqual(['complete']);
    // The reconciler leaves a failed order alone: nothing is queued for it again.
    const pass = await reconcile(harness.ctx);
    expect(pass.orders).toBe(0);
    const finalizeJobs = await harness.queues.control.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    expect(finalizeJobs.filter((job) => job.data.orderId === orderId)).toEqual([]);

    await rm(blocker, { recursive: true });
    expect(await restartOrder(harness.control, orderId)).toBe('restarted');
    const completed = await harness.waitForOrder(orderId, ['completed']);
    expect(completed.error).toBeUndefined();
    // Nothing was fetched again: the restart only had to finish the order.
    const downloads = harness.sim.calls().filter((call) => call.method === 'download' && call.status === 200);
    const onDisk = completed.products[0]?.files.filter((file) => file.status === 'complete') ?? [];
    expect(downloads).toHaveLength(onDisk.length);
  });
});
