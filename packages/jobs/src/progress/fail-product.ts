import { findProduct } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { activeProductStatuses } from '../state/product-status.js';
import { transitionProduct } from '../state/transition.js';
import { settleOrder } from './settle.js';

/** A product's step failed on every attempt: the product fails for good, and the order goes on with the rest. */
export async function failProductForGood(ctx: PipelineContext, productId: number, message: string): Promise<void> {
  const product = await findProduct(ctx.db, productId);
  if (!product) return;
  await transitionProduct(ctx.db, productId, 'failed', {
    reason: message,
    onlyFrom: activeProductStatuses,
    patch: { errorMessage: message },
  });
  await settleOrder(ctx, product.orderId);
}
