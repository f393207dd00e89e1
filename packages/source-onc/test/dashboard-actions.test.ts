import { ctdAtBarkleyCanyon, waitFor } from '@onc-orders/testkit';
import { reconcile } from '@onc-orders/jobs';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

describe('what an operator deletes on the dashboard, the reconciler rebuilds', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a waiting product step removed from its queue is queued again from SQLite, and the order completes once', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { runningMs: 400 } } });
    const { queues } = harness;
    const orderId = await harness.submit({
      filters: { ...ctdAtBarkleyCanyon, dateTo: '2016-07-28' },
      split: 'P1D',
    });
    await harness.startWorkers();
    // The products' polls wait as delayed jobs while ONC processes them: remove them all, as Bull Board's "Remove" or
    // "Clean" would.
    const delayed = await waitFor('the products to wait on ONC', async () => {
      const jobs = await queues.control.getJobs(['delayed']);
      return jobs.length >= 3 ? jobs : undefined;
    });
    for (const job of delayed) await job.remove();
    expect(await queues.control.getJobs(['delayed'])).toHaveLength(0);

    const rebuilt = await reconcile(harness.ctx);
    expect(rebuilt.jobs).toBeGreaterThanOrEqual(3);
    const order = await harness.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(3);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(3);
  });
});
