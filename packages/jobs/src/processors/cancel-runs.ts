import { eq } from 'drizzle-orm';
import { findProduct } from '../db/repository.js';
import { runs } from '../db/schema.js';
import type { PipelineContext } from '../pipeline-context.js';
import { recordEvent } from '../state/transition.js';
import { transientFromOutcome } from './outcome-handling.js';

/** Asks ONC to cancel the queued and running runs of a product the user cancelled. */
export async function cancelRuns(ctx: PipelineContext, productId: number, signal?: AbortSignal): Promise<void> {
  const product = findProduct(ctx.db, productId);
  if (!product || product.status !== 'cancelled' || product.dpRequestId === null) return;
  const outcome = await ctx.client.cancel(product.dpRequestId, signal);
  if (outcome.kind === 'transient') throw transientFromOutcome(outcome);
  if (outcome.kind === 'ok') {
    for (const run of outcome.value) {
      ctx.db.update(runs).set({ status: run.status, updatedAt: Date.now() }).where(eq(runs.dpRunId, run.dpRunId)).run();
    }
  }
  recordEvent(
    ctx.db,
    product.orderId,
    'product',
    productId,
    'onc-cancel',
    outcome.kind === 'ok' ? `ONC cancelled ${outcome.value.length} run(s)` : `ONC cancel answered ${outcome.kind}`,
  );
}
