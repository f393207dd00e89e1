import { findOrder, findProduct, filesOfProduct, hasOpenFiles, hasOpenProducts } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { enqueue } from '../queues/pipeline-queues.js';
import { openFileStatuses } from '../state/file-status.js';
import { transitionProduct } from '../state/transition.js';

/**
 * Once no file of a downloading product is pending or in flight, the product ends: complete when every file is on
 * disk (or its service said there was no such file), failed when a file failed for good.
 */
export async function settleProduct(ctx: PipelineContext, productId: number): Promise<void> {
  // A plain read first spares the write lock while files are still in flight. It cannot miss the end: whichever file
  // ends last commits before it reads, so its read sees every other file ended.
  if (await hasOpenFiles(ctx.db, productId)) return;
  // Reading the files and ending the product in one transaction: no file can appear or reopen in between.
  const ended = await ctx.writes.write(async (tx) => {
    const product = await findProduct(tx, productId);
    if (!product || product.status !== 'downloading') return undefined;
    const productFiles = await filesOfProduct(tx, productId);
    if (productFiles.some((file) => openFileStatuses.includes(file.status))) return undefined;
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
    return product.orderId;
  });
  if (ended) await settleOrder(ctx, ended);
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
