import { findOrder, filesOfProduct, hasOpenFiles, hasOpenProducts, lockProductStatus } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { enqueue } from '../queues/pipeline-queues.js';
import { openFileStatuses } from '../state/file-status.js';
import { terminalProductStatuses } from '../state/product-status.js';
import { transitionProduct } from '../state/transition.js';

/**
 * Once no file of a downloading product is pending or in flight, the product ends: complete when every file is on
 * disk (or its service said there was no such file), failed when a file failed for good.
 */
export async function settleProduct(ctx: PipelineContext, productId: number): Promise<void> {
  // A plain read first spares the write lock while files are still in flight. It cannot miss the end: whichever file
  // ends last commits before it reads, so its read sees every other file ended.
  if (await hasOpenFiles(ctx.db, productId)) return;
  await ctx.settles.settle(productId, () => endProductIfSettled(ctx, productId));
}

/** Ends the product if no file of it is open; resolves to whether it has ended (or is gone) afterwards. */
async function endProductIfSettled(ctx: PipelineContext, productId: number): Promise<boolean> {
  // Reading the files and ending the product in one transaction that first locks the product: whatever reopens its
  // files or lists new ones (a restart, a re-order, a listing page) changes the product too, so it waits, or went
  // before and is seen; a file walked to its next one adds it while still open itself. Two files that end at once
  // both come here: the second waits for the first and finds the product ended, where a snapshot taken before the
  // lock would have had to be thrown away and the whole transaction run again.
  const ended = await ctx.writes.write(
    async (tx): Promise<{ ended: boolean; orderId?: string }> => {
      const product = await lockProductStatus(tx, productId);
      // Only an end is final: a product back in preparation (a re-order) may be downloading again by the time a
      // settle that waited on this one would have run.
      if (!product || product.status !== 'downloading')
        return { ended: !product || terminalProductStatuses.includes(product.status) };
      const productFiles = await filesOfProduct(tx, productId);
      if (productFiles.some((file) => openFileStatuses.includes(file.status))) return { ended: false };
      const failed = productFiles.filter((file) => file.status === 'failed' || file.status === 'cancelled');
      if (failed.length > 0) {
        const first = failed[0];
        await transitionProduct(tx, productId, 'failed', {
          onlyFrom: ['downloading'],
          reason: `${failed.length} file(s) could not be downloaded`,
          patch: { errorMessage: `file ${first?.ref ?? '?'}: ${first?.lastError ?? 'failed'}` },
        });
      } else {
        await transitionProduct(tx, productId, 'complete', {
          reason: 'every file is on disk and verified',
          onlyFrom: ['downloading'],
        });
      }
      return { ended: true, orderId: product.orderId };
    },
    { locksItsRowFirst: true },
  );
  if (ended.orderId) await settleOrder(ctx, ended.orderId);
  return ended.ended;
}

/** Queues the order's finalize job once every product has ended; finalize itself re-checks. */
export async function settleOrder(ctx: PipelineContext, orderId: string): Promise<void> {
  const order = await findOrder(ctx.db, orderId);
  if (!order || order.status !== 'running') return;
  if (await hasOpenProducts(ctx.db, orderId)) return;
  await enqueue(
    ctx.queues,
    'finalize',
    { orderId },
    { title: `order ${orderId}`, orderId, generation: order.generation },
  );
}
