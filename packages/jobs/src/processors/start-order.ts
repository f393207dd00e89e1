import { eq } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { insertProducts } from '../db/insert-order.js';
import { findOrder, productsOfOrder } from '../db/repository.js';
import { tablesOf } from '../db/tables.js';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import { failWholeOrder } from '../progress/fail-whole-order.js';
import { settleOrder } from '../progress/settle.js';
import { jobsForProduct } from '../queues/jobs-for-product.js';
import { enqueueMany, type JobToEnqueue } from '../queues/pipeline-queues.js';
import type { AnySource, OrderStartOutcome } from '../sources/source-port.js';
import { leaseEnded } from '../state/leases.js';
import { recordEvent, transitionOrder, transitionProduct } from '../state/transition.js';

type Started = Extract<OrderStartOutcome<unknown, unknown, unknown>, { kind: 'started' }>;

/**
 * Commits what the source's first step found, unless another copy of this job committed first: the added products,
 * the products it ended or gave a state, its history and its state, which marks the step done for good.
 */
async function commitStart(tx: AppDatabase, orderId: string, outcome: Started): Promise<boolean> {
  const { orders } = tablesOf(tx);
  const order = await findOrder(tx, orderId);
  if (!order || order.sourceState !== null || (order.status !== 'queued' && order.status !== 'running')) return false;
  const existing = await productsOfOrder(tx, orderId);
  const added = outcome.add ?? [];
  await insertProducts(
    tx,
    orderId,
    order.source,
    existing.length,
    added.map((plan) => ({ params: JSON.stringify(plan.params), state: JSON.stringify(plan.state) })),
  );
  const byOrdinal = new Map(existing.map((product) => [product.ordinal, product]));
  for (const update of outcome.update ?? []) {
    const product = byOrdinal.get(update.ordinal);
    if (product?.status === 'pending')
      await updateById(tx, 'products', product.id, { state: JSON.stringify(update.state) });
  }
  for (const ended of outcome.end ?? []) {
    const product = byOrdinal.get(ended.ordinal);
    if (!product || product.status !== 'pending') continue;
    await transitionProduct(tx, product.id, ended.kind === 'nodata' ? 'nodata' : 'failed', {
      reason: ended.error.message,
      onlyFrom: ['pending'],
      patch: {
        errorCode: ended.error.code,
        errorParameter: ended.error.parameter,
        errorMessage: ended.error.message,
        ...leaseEnded,
      },
    });
  }
  for (const event of outcome.events ?? []) await recordEvent(tx, orderId, 'order', orderId, event.kind, event.reason);
  await tx
    .update(orders)
    .set({ sourceState: JSON.stringify(outcome.state ?? {}), productCount: existing.length + added.length })
    .where(eq(orders.id, orderId));
  return true;
}

/** The source's first step for the whole order, run once (ONC: the discovery check; DataStream: the partitions). */
async function runSourceStart(
  ctx: PipelineContext,
  source: AnySource,
  orderId: string,
  signal: AbortSignal | undefined,
): Promise<'go-on' | 'stop'> {
  const order = await findOrder(ctx.db, orderId);
  if (!source.startOrder || !order || order.sourceState !== null) return 'go-on';
  const outcome = await source.startOrder(
    {
      id: orderId,
      spec: JSON.parse(order.spec) as unknown,
      products: (await productsOfOrder(ctx.db, orderId)).map((product) => ({
        ordinal: product.ordinal,
        params: JSON.parse(product.params) as unknown,
      })),
    },
    { signal, logger: ctx.logger },
  );
  if (outcome.kind === 'failed') {
    await failWholeOrder(ctx, orderId, outcome.error);
    return 'stop';
  }
  // Products the source found only now (DataStream's partitions) count against the same cap as a submission's.
  const total = order.productCount + (outcome.add?.length ?? 0);
  if (total > ctx.config.maxProductsPerOrder) {
    const message =
      `the order would make ${total} products, more than ORDER_MAX_PRODUCTS (${ctx.config.maxProductsPerOrder}): ` +
      'narrow it (a filter, a shorter range) or split it';
    await failWholeOrder(ctx, orderId, { code: null, parameter: null, message });
    return 'stop';
  }
  await ctx.writes.write(async (tx) => commitStart(tx, orderId, outcome));
  return 'go-on';
}

/**
 * The expand job: the order's products are already in SQLite (written with the order, so a 201 means nothing can be
 * lost). The source's first step for the order runs once, when it has one; then each product's next job is put on
 * the queues, in bulk.
 */
export async function startOrder(ctx: PipelineContext, orderId: string, signal?: AbortSignal): Promise<void> {
  const order = await findOrder(ctx.db, orderId);
  if (!order || (order.status !== 'queued' && order.status !== 'running')) return;
  const source = ctx.sources.get(order.source);
  if ((await runSourceStart(ctx, source, orderId, signal)) === 'stop') return;
  await transitionOrder(ctx.db, orderId, 'running', { reason: 'products queued', onlyFrom: ['queued'] });
  const jobs: JobToEnqueue[] = [];
  for (const product of await productsOfOrder(ctx.db, orderId))
    jobs.push(...(await jobsForProduct(ctx.db, source, product)));
  await enqueueMany(ctx.queues, jobs);
  await settleOrder(ctx, orderId);
}
