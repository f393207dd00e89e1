import { findProductWithOrder } from '../db/repository.js';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import { applyPrepareOutcome } from '../progress/apply-prepare-outcome.js';
import { productSnapshot } from '../sources/snapshots.js';
import type { StepContext } from '../sources/source-port.js';
import { recordEvent } from '../state/transition.js';
import type { JobResult } from './job-result.js';

/**
 * One step of a product's conversation with its service: the source is handed the saved state and says what came
 * of the step; the core commits the new state with the product's next status, then queues what follows. A job whose
 * step the product has moved past (a duplicate, a leftover after Redis was lost) does nothing.
 */
export async function prepareProduct(
  ctx: PipelineContext,
  productId: number,
  step: number,
  signal?: AbortSignal,
): Promise<JobResult> {
  const found = await findProductWithOrder(ctx.db, productId);
  if (!found) return undefined;
  const { product, order } = found;
  if ((product.status !== 'pending' && product.status !== 'preparing') || product.step !== step) return undefined;
  if (order.status !== 'running') return undefined;
  const source = ctx.sources.get(product.source);
  const snapshot = productSnapshot(order, product);
  const context: StepContext<unknown> = {
    signal,
    logger: ctx.logger,
    failpoint: (name) => ctx.failpoints.reach(name),
    checkpoint: async (state, event) => {
      const columns = { state: JSON.stringify(state), updatedAt: Date.now() };
      // The job holds the product's lease: writing its state twice writes the same.
      if (!event) {
        await ctx.writes.writeOne((tx) => updateById(tx, 'products', productId, columns));
        return;
      }
      await ctx.writes.write(async (tx) => {
        await updateById(tx, 'products', productId, columns);
        await recordEvent(tx, product.orderId, 'product', productId, event.kind, event.reason);
      });
    },
  };
  const outcome = await source.prepare(snapshot, context);
  return applyPrepareOutcome(ctx, source, product, outcome);
}
