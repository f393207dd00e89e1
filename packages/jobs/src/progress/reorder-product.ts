import { and, eq, inArray } from 'drizzle-orm';
import { filesOfProduct, findProduct } from '../db/repository.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import type { AppDatabase } from '../db/database.js';
import { files } from '../db/schema.js';
import type { PipelineContext } from '../pipeline-context.js';
import { enqueueMany } from '../queues/pipeline-queues.js';
import { jobsForProduct } from '../queues/jobs-for-product.js';
import { activeProductStatuses } from '../state/product-status.js';
import { recordEvent, transitionFile, transitionProduct } from '../state/transition.js';
import { settleOrder } from './settle.js';

/**
 * Orders a product again from the start (new request, new runs) because files it still needs are gone from ONC —
 * deleted after a download that never reached our disk. Files already complete stay; only the missing ones are
 * downloaded from the new runs. Bounded by `maxReorders`; past it the product fails.
 */
export async function reorderProduct(
  ctx: PipelineContext,
  productId: number,
  reason: string,
): Promise<'reordered' | 'failed'> {
  const product = findProduct(ctx.db, productId);
  if (!product) return 'failed';
  if (product.reorders >= ctx.config.maxReorders) {
    transitionProduct(ctx.db, productId, 'failed', {
      onlyFrom: activeProductStatuses,
      reason: `${reason}; no re-order left (${product.reorders} done)`,
      patch: { errorMessage: `${reason}; gave up after ${product.reorders} re-order(s)` },
    });
    await settleOrder(ctx, product.orderId);
    return 'failed';
  }
  resetForReorder(ctx.db, productId, product.reorders + 1, product.generation + 1, reason);
  // Partial copies came from the old runs; the new runs' files may differ, so none of them may be resumed.
  const unfinished = filesOfProduct(ctx.db, productId).filter((file) => file.status !== 'complete');
  await removeTemporaryFiles(
    ctx.config.downloadDir,
    product.orderId,
    unfinished.map((file) => file.id),
  );
  const fresh = findProduct(ctx.db, productId);
  if (fresh) await enqueueMany(ctx.queues, jobsForProduct(ctx.db, fresh));
  return 'reordered';
}

function resetForReorder(
  db: AppDatabase,
  productId: number,
  reorders: number,
  generation: number,
  reason: string,
): void {
  db.transaction(
    (tx) => {
      const database = tx as unknown as AppDatabase;
      const unfinished = tx
        .select({ id: files.id })
        .from(files)
        .where(and(eq(files.productId, productId), inArray(files.status, ['downloading', 'failed', 'cancelled'])))
        .all();
      for (const file of unfinished) {
        transitionFile(database, file.id, 'pending', { reason: 're-ordered', patch: { goneCount: 0, attempts: 0 } });
      }
      transitionProduct(database, productId, 'pending', {
        onlyFrom: ['requested', 'running', 'downloading'],
        reason: `re-order ${reorders}: ${reason}`,
        patch: { dpRequestId: null, runRequestedAt: null, reorders, generation },
      });
      const product = findProduct(database, productId);
      if (product)
        recordEvent(database, product.orderId, 'product', productId, 'reorder', `re-order ${reorders}: ${reason}`);
    },
    { behavior: 'immediate' },
  );
}
