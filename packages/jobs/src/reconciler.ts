import { inArray } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { holdOrderForPass } from './db/hold-order-for-pass.js';
import { productsOfOrder } from './db/repository.js';
import { tablesOf } from './db/tables.js';
import type { PipelineContext } from './pipeline-context.js';
import { jobsForProduct } from './queues/jobs-for-product.js';
import { enqueueMissing, type JobToEnqueue } from './queues/pipeline-queues.js';
import { settleProduct } from './progress/settle.js';
import { terminalProductStatuses } from './state/product-status.js';
import { applyDownloadCaps } from './queues/download-caps.js';

/**
 * Rebuilds the queues from the database: every order still queued or running, and every product and file of it that has
 * not ended, gets its job back. Job ids are deterministic, so jobs that still exist are not duplicated; if Redis was
 * flushed or replaced, everything needed is queued again. Runs when a worker starts and then on a timer.
 */
export async function reconcile(ctx: PipelineContext): Promise<{ orders: number; jobs: number }> {
  const { orders } = tablesOf(ctx.db);
  // The fleet-wide download caps live in Redis too: a replaced Redis must get them back.
  await applyDownloadCaps(ctx.queues, ctx.sources);
  const open = await ctx.db
    .select()
    .from(orders)
    .where(inArray(orders.status, ['queued', 'running']));
  let jobs = 0;
  for (const order of open) {
    const options = { title: `order ${order.label ?? order.id}`, orderId: order.id, generation: order.generation };
    if (order.status === 'queued') {
      await enqueueMissing(ctx.queues, [{ kind: 'expand', payload: { orderId: order.id }, options }]);
      jobs += 1;
      continue;
    }
    if (!ctx.sources.has(order.source)) {
      // Another deployment's worker may serve it; this one has no settings for its source.
      ctx.logger.debug({ orderId: order.id, source: order.source }, 'reconcile: source not configured here');
      continue;
    }
    const source = ctx.sources.get(order.source);
    const restored = await holdOrderForPass(ctx.db, order.id, async () => {
      const orderProducts = await productsOfOrder(ctx.db, order.id);
      const pending: JobToEnqueue[] = [];
      const stranded: number[] = [];
      for (const product of orderProducts) {
        const productJobs = await jobsForProduct(ctx.db, source, product);
        // Downloading with nothing left to fetch: its last file's worker died before it settled the product.
        if (product.status === 'downloading' && productJobs.length === 0) stranded.push(product.id);
        pending.push(...productJobs);
      }
      if (stranded.length === 0 && orderProducts.every((product) => terminalProductStatuses.includes(product.status)))
        pending.push({ kind: 'finalize', payload: { orderId: order.id }, options });
      await enqueueMissing(ctx.queues, pending);
      return { jobs: pending.length, stranded };
    });
    // Another host's pass has this order.
    if (!restored) continue;
    jobs += restored.jobs;
    if (restored.stranded.length === 0) continue;
    // Settled once the order is let go of: settling may end the order, a write to the row the pass held.
    for (const productId of restored.stranded) await settleProduct(ctx, productId);
    const settled = await productsOfOrder(ctx.db, order.id);
    if (settled.every((product) => terminalProductStatuses.includes(product.status))) {
      await enqueueMissing(ctx.queues, [{ kind: 'finalize', payload: { orderId: order.id }, options }]);
      jobs += 1;
    }
  }
  return { orders: open.length, jobs };
}

/**
 * Takes this interval's turn to reconcile for the whole fleet, or returns false when another worker has it. A pass
 * checks every open job in Redis (10,000 waiting jobs: about a second and 60,000 Redis commands), so every worker
 * doing its own pass on every tick would multiply that by the fleet's size for nothing. The turn lasts a little less
 * than an interval, so each interval one worker or another takes it even though their timers drift apart. A Redis
 * that lost its keys lost the turn too, so the next tick rebuilds the queues.
 */
export async function takeReconcileTurn(connection: Redis, queuePrefix: string, intervalMs: number): Promise<boolean> {
  const turnMs = Math.max(1, Math.floor(intervalMs * 0.8));
  return (await connection.set(`${queuePrefix}:reconcile-turn`, String(process.pid), 'PX', turnMs, 'NX')) === 'OK';
}

/**
 * Runs `reconcile` now, then every `intervalMs` when this worker takes the fleet's turn; stop() ends the timer.
 * Failures are logged, never thrown. The first pass runs whatever the turn says: a worker that starts has just been
 * deployed or restarted, maybe with Redis, and should not wait an interval to find lost work.
 */
export function startReconciler(
  ctx: PipelineContext,
  connection: Redis,
  intervalMs: number,
): { stop: () => void; done: Promise<void> } {
  const runOnce = async (needsTurn: boolean) => {
    try {
      if (needsTurn && !(await takeReconcileTurn(connection, ctx.queues.prefix, intervalMs))) return;
      const result = await reconcile(ctx);
      if (result.jobs > 0) ctx.logger.debug(result, 'reconciled queues with the database');
    } catch (error) {
      ctx.logger.warn({ err: error }, 'reconcile failed; will try again');
    }
  };
  const done = runOnce(false);
  const timer = setInterval(() => void runOnce(true), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), done };
}
