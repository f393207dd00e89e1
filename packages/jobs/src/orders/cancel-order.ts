import type { Redis } from 'ioredis';
import type { AppDatabase } from '../db/database.js';
import { filesOfOrderIn, findOrder, productsOfOrderIn } from '../db/repository.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueueMany, type JobToEnqueue, type PipelineQueues } from '../queues/pipeline-queues.js';
import type { SourceRegistry } from '../sources/source-registry.js';
import { openFileStatuses } from '../state/file-status.js';
import { activeProductStatuses } from '../state/product-status.js';
import { recordEvent, transitionFile, transitionOrder, transitionProduct } from '../state/transition.js';
import { cancelChannel } from './cancel-channel.js';
import { removeQueuedJobsOfOrder } from './remove-queued-jobs.js';

export interface OrderControlDependencies {
  db: AppDatabase;
  queues: PipelineQueues;
  sources: SourceRegistry;
  /** Publishes the cancel message every worker process listens to. */
  redis: Redis;
  downloadDir: string;
}

export type CancelResult = 'cancelled' | 'already-cancelled' | 'already-finished' | 'not-found';

/**
 * Stops an order everywhere: its state becomes cancelled first (so any job that still runs finds nothing to do),
 * then every worker process aborts the order's downloads in flight, waiting jobs are removed, partial files deleted,
 * and each service is asked to stop the work it still does for the order. Files already complete stay.
 */
export async function cancelOrder(
  deps: OrderControlDependencies,
  orderId: string,
  reason = 'cancelled by request',
): Promise<CancelResult> {
  const order = await findOrder(deps.db, orderId);
  if (!order) return 'not-found';
  if (order.status === 'cancelled') return 'already-cancelled';
  if (order.status === 'completed') return 'already-finished';
  const source = deps.sources.has(order.source) ? deps.sources.get(order.source) : undefined;

  const { busyRemotely, unfinishedFileIds } = await inWriteTransaction(deps.db, async (tx) => {
    await transitionOrder(tx, orderId, 'cancelled', { reason, patch: { finishedAt: Date.now() } });
    await recordEvent(tx, orderId, 'order', orderId, 'cancel', reason);
    const open = await productsOfOrderIn(tx, orderId, activeProductStatuses);
    for (const product of open) await transitionProduct(tx, product.id, 'cancelled', { reason });
    const unfinished = await filesOfOrderIn(tx, orderId, openFileStatuses);
    for (const file of unfinished) await transitionFile(tx, file.id, 'cancelled', { reason });
    return {
      // Only a product still in its conversation can have work running on the service's side.
      busyRemotely: open.filter(
        (product) =>
          product.status === 'preparing' &&
          source?.cancelRemote !== undefined &&
          source.hasRemoteWork(JSON.parse(product.state) as unknown),
      ),
      unfinishedFileIds: unfinished.map((file) => file.id),
    };
  });

  await deps.redis.publish(cancelChannel(deps.queues.prefix), orderId);
  await removeQueuedJobsOfOrder(deps.queues, orderId);
  await removeTemporaryFiles(deps.downloadDir, orderId, unfinishedFileIds);
  if (source) {
    const cancels: JobToEnqueue[] = busyRemotely.map((product) => ({
      kind: 'cancelRemote',
      payload: { productId: product.id },
      options: { title: productTitle(source, product), orderId, generation: product.generation },
    }));
    await enqueueMany(deps.queues, cancels);
  }
  return 'cancelled';
}
