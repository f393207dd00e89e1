import { filesOfProductIn, findProduct } from '../db/repository.js';
import type { AppDatabase } from '../db/database.js';
import type { ProductRow } from '../db/schema.js';
import type { ProductPatch } from '../db/update-by-id.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import type { PipelineContext } from '../pipeline-context.js';
import { enqueueMany } from '../queues/pipeline-queues.js';
import { jobsForProduct } from '../queues/jobs-for-product.js';
import type { AnySource } from '../sources/source-port.js';
import { activeProductStatuses } from '../state/product-status.js';
import { recordEvent, transitionFile, transitionProduct } from '../state/transition.js';
import { settleOrder } from './settle.js';

/**
 * Puts a product back at its first step, to be ordered from the service again, inside the caller's transaction. Its
 * complete files stay; the others go back to pending, their partial copies no longer trusted (the new order's files
 * may differ). The source decides what of its state is forgotten. Returns the ids of the files to fetch again.
 * `counted` re-orders (the automatic ones, after files were lost) use up the product's MAX_REORDERS budget; a
 * restart that must order a product again does not.
 */
export async function resetForReorder(
  db: AppDatabase,
  source: AnySource,
  product: ProductRow,
  options: {
    reason: string;
    counted: boolean;
    /** The states the product may be re-ordered from; in any other (cancelled meanwhile, re-ordered already), nothing happens. */
    onlyFrom: readonly ProductRow['status'][];
    extraPatch?: ProductPatch;
  },
): Promise<number[]> {
  return inWriteTransaction(db, async (tx) => {
    // Read again inside the transaction: a cancel, or another file's re-order of the same product, may have come first.
    const current = await findProduct(tx, product.id);
    if (!current || current.generation !== product.generation || !options.onlyFrom.includes(current.status)) return [];
    const reorders = product.reorders + (options.counted ? 1 : 0);
    const unfinished = await filesOfProductIn(tx, product.id, ['pending', 'downloading', 'failed', 'cancelled']);
    for (const file of unfinished) {
      await transitionFile(tx, file.id, 'pending', {
        reason: 're-ordered',
        patch: { goneCount: 0, attempts: 0, lastError: null },
      });
    }
    const label = options.counted ? `re-order ${reorders}: ${options.reason}` : options.reason;
    await transitionProduct(tx, product.id, 'pending', {
      reason: label,
      patch: {
        ...options.extraPatch,
        state: JSON.stringify(source.reorderState(JSON.parse(product.state) as unknown)),
        step: 0,
        reorders,
        generation: product.generation + 1,
      },
    });
    await recordEvent(tx, product.orderId, 'product', product.id, 'reorder', label);
    return unfinished.map((file) => file.id);
  });
}

/** A product is re-ordered automatically only while it is being worked on. */
const autoReorderFrom: readonly ProductRow['status'][] = ['preparing', 'downloading'];

/**
 * Orders a product again from the start because files it still needs are gone from the service (ONC: deleted after
 * a download that never reached our disk). Only the missing files are fetched from the new order. Bounded by
 * `maxReorders`; past it the product fails.
 */
export async function reorderProduct(
  ctx: PipelineContext,
  productId: number,
  reason: string,
  seenGeneration: number,
): Promise<'reordered' | 'failed' | 'moved'> {
  const product = await findProduct(ctx.db, productId);
  if (!product) return 'failed';
  // Another file of the product, or a cancel, got there first: nothing is left to decide here.
  if (product.generation !== seenGeneration || !autoReorderFrom.includes(product.status)) return 'moved';
  if (product.reorders >= ctx.config.maxReorders) {
    await transitionProduct(ctx.db, productId, 'failed', {
      onlyFrom: activeProductStatuses,
      reason: `${reason}; no re-order left (${product.reorders} done)`,
      patch: { errorMessage: `${reason}; gave up after ${product.reorders} re-order(s)` },
    });
    await settleOrder(ctx, product.orderId);
    return 'failed';
  }
  const source = ctx.sources.get(product.source);
  const refetch = await resetForReorder(ctx.db, source, product, { reason, counted: true, onlyFrom: autoReorderFrom });
  await removeTemporaryFiles(ctx.config.downloadDir, product.orderId, refetch);
  const fresh = await findProduct(ctx.db, productId);
  if (fresh) await enqueueMany(ctx.queues, await jobsForProduct(ctx.db, source, fresh));
  return 'reordered';
}
