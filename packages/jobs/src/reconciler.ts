import { inArray } from 'drizzle-orm';
import { productsOfOrder } from './db/repository.js';
import { orders } from './db/schema.js';
import type { PipelineContext } from './pipeline-context.js';
import { jobsForProduct } from './queues/jobs-for-product.js';
import { enqueueMissing } from './queues/pipeline-queues.js';
import { terminalProductStatuses, type ProductStatus } from './state/product-status.js';

/**
 * Rebuilds the queues from SQLite: every order still queued or running, and every product and file of it that has
 * not ended, gets its job back. Job ids are deterministic, so jobs that still exist are not duplicated; if Redis was
 * flushed or replaced, everything needed is queued again. Runs when a worker starts and then on a timer.
 */
export async function reconcile(ctx: PipelineContext): Promise<{ orders: number; jobs: number }> {
  // The fleet-wide download cap lives in Redis too: a replaced Redis must get it back.
  await ctx.queues.downloads.setGlobalConcurrency(ctx.config.maxConcurrentDownloads);
  const open = ctx.db
    .select()
    .from(orders)
    .where(inArray(orders.status, ['queued', 'running']))
    .all();
  let jobs = 0;
  for (const order of open) {
    const options = { title: `order ${order.label ?? order.id}`, orderId: order.id, generation: order.generation };
    if (order.status === 'queued') {
      await enqueueMissing(ctx.queues, [{ kind: 'expand', payload: { orderId: order.id }, options }]);
      jobs += 1;
      continue;
    }
    const orderProducts = productsOfOrder(ctx.db, order.id);
    const pending = orderProducts.flatMap((product) => jobsForProduct(ctx.db, product));
    if (orderProducts.every((product) => terminalProductStatuses.includes(product.status as ProductStatus))) {
      pending.push({ kind: 'finalize', payload: { orderId: order.id }, options });
    }
    await enqueueMissing(ctx.queues, pending);
    jobs += pending.length;
  }
  return { orders: open.length, jobs };
}

/** Runs `reconcile` now and every `intervalMs`; stop() ends the timer. Failures are logged, never thrown. */
export function startReconciler(ctx: PipelineContext, intervalMs: number): { stop: () => void; done: Promise<void> } {
  const runOnce = async () => {
    try {
      const result = await reconcile(ctx);
      if (result.jobs > 0) ctx.logger.debug(result, 'reconciled queues with the database');
    } catch (error) {
      ctx.logger.warn({ err: error }, 'reconcile failed; will try again');
    }
  };
  const done = runOnce();
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), done };
}
