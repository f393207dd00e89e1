import { findProduct } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { applyRunStates } from '../progress/apply-run-states.js';
import { pollDelayMs } from '../poll-delay.js';
import { failProductForOutcome, transientFromOutcome } from './outcome-handling.js';

/** Tells the worker runtime to put the job back in the delayed set for `delayMs` instead of finishing it. */
export interface WaitAgain {
  waitMs: number;
}

/**
 * Checks on ONC's processing with `status` (never a second `run`). While ONC works, the same job goes back to the
 * delayed set: waiting costs a Redis entry, not a worker slot.
 */
export async function pollRun(
  ctx: PipelineContext,
  productId: number,
  signal?: AbortSignal,
): Promise<WaitAgain | undefined> {
  const product = findProduct(ctx.db, productId);
  if (!product || product.status !== 'running' || product.dpRequestId === null) return undefined;
  const outcome = await ctx.client.status(product.dpRequestId, signal);
  switch (outcome.kind) {
    case 'ok': {
      const state = await applyRunStates(ctx, product, outcome.value.runs, 'ONC finished processing');
      if (state === 'settled') return undefined;
      return { waitMs: pollDelayMs(product.estimatedProcessingSeconds, ctx.config.pollMinMs, ctx.config.pollMaxMs) };
    }
    case 'notReady':
      return { waitMs: pollDelayMs(product.estimatedProcessingSeconds, ctx.config.pollMinMs, ctx.config.pollMaxMs) };
    case 'transient':
      throw transientFromOutcome(outcome);
    case 'runFailed':
    case 'rejected':
    case 'endOfFiles':
    case 'gone':
    case 'cancelled':
      await failProductForOutcome(ctx, product, outcome);
      return undefined;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
