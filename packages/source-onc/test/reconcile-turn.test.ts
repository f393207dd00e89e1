import { ctdAtBarkleyCanyon, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { jobIdFor, startReconciler, takeReconcileTurn } from '@onc-orders/jobs';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the reconciler's turn: one pass per interval for the whole fleet", () => {
  let harness: PipelineHarness | undefined;
  let stopReconciler: (() => void) | undefined;
  afterEach(async () => {
    stopReconciler?.();
    stopReconciler = undefined;
    await harness?.close();
    harness = undefined;
  });

  it('goes to one worker per interval, and is free again once the interval has passed', async () => {
    harness = await startPipelineHarness();
    const { redis, queues } = harness;
    const askedTogether = await Promise.all([
      takeReconcileTurn(redis, queues.prefix, 300),
      takeReconcileTurn(redis, queues.prefix, 300),
      takeReconcileTurn(redis, queues.prefix, 300),
    ]);
    expect(askedTogether.filter(Boolean)).toHaveLength(1);
    await sleep(300);
    expect(await takeReconcileTurn(redis, queues.prefix, 300)).toBe(true);
  });

  it('skips the ticks another worker has taken, rebuilds on the first tick it gets, and always on start', async () => {
    harness = await startPipelineHarness();
    const { redis, queues } = harness;
    // No workers: the order stays queued and its expand job waits in Redis.
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon });
    const expandId = jobIdFor('expand', { orderId }, 0);
    const expandJob = () => queues.control.getJob(expandId);
    const turnKey = `${queues.prefix}:reconcile-turn`;

    // Another worker holds the turn; this one starts and reconciles at once anyway.
    await redis.set(turnKey, 'another worker', 'PX', 60_000);
    await queues.control.remove(expandId);
    const reconciler = startReconciler(harness.ctx, redis, 200);
    stopReconciler = reconciler.stop;
    await reconciler.done;
    expect(await expandJob()).toBeDefined();

    // Lost again: while the other worker holds the turn, this one's ticks leave it alone.
    await queues.control.remove(expandId);
    await sleep(700);
    expect(await expandJob()).toBeUndefined();

    // The turn is free (it lapsed, or Redis lost it): the next tick rebuilds.
    await redis.del(turnKey);
    await waitFor('the expand job to be queued again', async () => ((await expandJob()) ? true : undefined), {
      timeoutMs: 3_000,
    });
  });
});
