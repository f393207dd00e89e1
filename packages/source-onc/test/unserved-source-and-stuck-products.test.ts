import {
  getOrderView,
  jobIdFor,
  reconcile,
  SourceRegistry,
  startPipelineWorkers,
  type PipelineContext,
} from '@onc-orders/jobs';
import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';
import { rawRun } from '@onc-orders/testkit';

describe('work a worker cannot or did not finish', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a worker without the order’s source leaves its jobs for another, spending no attempt and failing nothing', async () => {
    harness = await startPipelineHarness();
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon });
    // A worker deployed without ONC's settings: it serves no source at all.
    const bare: PipelineContext = { ...harness.ctx, sources: new SourceRegistry([]) };
    const unserved = await startPipelineWorkers(bare, harness.redis);
    try {
      const expand = await harness.queues.control.getJob(jobIdFor('expand', { orderId }, 0));
      for (let waited = 0; (await expand?.getState()) !== 'delayed' && waited < 5_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await expand?.getState()).toBe('delayed');
      const again = await harness.queues.control.getJob(jobIdFor('expand', { orderId }, 0));
      expect(again?.attemptsMade).toBe(0);
      expect((await getOrderView(harness.database.db, harness.ctx.sources, orderId))?.status).toBe('queued');
    } finally {
      await unserved.close({ deadlineMs: 1_000 });
    }
    // A worker that has the settings takes the job when it comes round again.
    await harness.startWorkers();
    const order = await harness.waitForOrder(orderId, ['completed', 'failed'], 30_000);
    expect(order.status).toBe('completed');
  }, 45_000);

  it('the reconciler ends a product whose last file was recorded by a worker that died before settling it', async () => {
    harness = await startPipelineHarness();
    await harness.startWorkers();
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon });
    await harness.waitForOrder(orderId);
    // As the database looks when a worker dies between a product's last file and the product's own record.
    await rawRun(harness.database, `UPDATE products SET status = 'downloading' WHERE order_id = ?`, orderId);
    await rawRun(harness.database, `UPDATE orders SET status = 'running', finished_at = NULL WHERE id = ?`, orderId);

    await reconcile(harness.ctx);
    const order = await harness.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    expect(order.products.map((product) => product.status)).toEqual(['complete']);
  });
});
