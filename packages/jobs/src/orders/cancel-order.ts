import { and, eq, inArray } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { AppDatabase } from '../db/database.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import { findOrder } from '../db/repository.js';
import { files, products } from '../db/schema.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueueMany, type JobToEnqueue, type PipelineQueues } from '../queues/pipeline-queues.js';
import { activeProductStatuses } from '../state/product-status.js';
import { recordEvent, transitionFile, transitionOrder, transitionProduct } from '../state/transition.js';
import { cancelChannel } from './cancel-channel.js';
import { removeQueuedJobsOfOrder } from './remove-queued-jobs.js';

export interface OrderControlDependencies {
  db: AppDatabase;
  queues: PipelineQueues;
  /** Publishes the cancel message every worker process listens to. */
  redis: Redis;
  downloadDir: string;
}

export type CancelResult = 'cancelled' | 'already-cancelled' | 'already-finished' | 'not-found';

/**
 * Stops an order everywhere: its state becomes cancelled first (so any job that still runs finds nothing to do),
 * then every worker process aborts the order's downloads in flight, waiting jobs are removed, partial files deleted,
 * and ONC is asked to cancel the runs it is still working on. Files already complete stay.
 */
export async function cancelOrder(
  deps: OrderControlDependencies,
  orderId: string,
  reason = 'cancelled by request',
): Promise<CancelResult> {
  const order = findOrder(deps.db, orderId);
  if (!order) return 'not-found';
  if (order.status === 'cancelled') return 'already-cancelled';
  if (order.status === 'completed') return 'already-finished';

  const { onOnc, unfinishedFileIds } = deps.db.transaction(
    (tx) => {
      const database = tx as unknown as AppDatabase;
      transitionOrder(database, orderId, 'cancelled', { reason, patch: { finishedAt: Date.now() } });
      recordEvent(database, orderId, 'order', orderId, 'cancel', reason);
      const open = tx
        .select()
        .from(products)
        .where(and(eq(products.orderId, orderId), inArray(products.status, [...activeProductStatuses])))
        .all();
      for (const product of open) transitionProduct(database, product.id, 'cancelled', { reason });
      const unfinished = tx
        .select({ id: files.id })
        .from(files)
        .where(and(eq(files.orderId, orderId), inArray(files.status, ['pending', 'downloading'])))
        .all();
      for (const file of unfinished) transitionFile(database, file.id, 'cancelled', { reason });
      return {
        onOnc: open.filter(
          (product) => product.dpRequestId !== null && product.status !== 'pending' && product.status !== 'downloading',
        ),
        unfinishedFileIds: unfinished.map((file) => file.id),
      };
    },
    { behavior: 'immediate' },
  );

  await deps.redis.publish(cancelChannel(deps.queues.prefix), orderId);
  await removeQueuedJobsOfOrder(deps.queues, orderId);
  await removeTemporaryFiles(deps.downloadDir, orderId, unfinishedFileIds);
  const cancels: JobToEnqueue[] = onOnc.map((product) => ({
    kind: 'cancelRuns',
    payload: { productId: product.id },
    options: { title: productTitle(product), orderId, generation: product.generation },
  }));
  await enqueueMany(deps.queues, cancels);
  return 'cancelled';
}
