import { findOrder, productsOfOrder } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { settleOrder } from '../progress/settle.js';
import { jobsForProduct } from '../queues/jobs-for-product.js';
import { enqueueMany } from '../queues/pipeline-queues.js';
import { transitionOrder } from '../state/transition.js';

/**
 * The expand job: the order's products are already in SQLite (written with the order, so a 201 means nothing can be
 * lost); this puts each one's next job on the queues, in bulk.
 */
export async function startOrder(ctx: PipelineContext, orderId: string): Promise<void> {
  const order = findOrder(ctx.db, orderId);
  if (!order || (order.status !== 'queued' && order.status !== 'running')) return;
  const source = ctx.sources.get(order.source);
  transitionOrder(ctx.db, orderId, 'running', { reason: 'products queued', onlyFrom: ['queued'] });
  const jobs = productsOfOrder(ctx.db, orderId).flatMap((product) => jobsForProduct(ctx.db, source, product));
  await enqueueMany(ctx.queues, jobs);
  await settleOrder(ctx, orderId);
}
