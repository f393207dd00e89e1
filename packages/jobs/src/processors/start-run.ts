import type { RunInfo } from '@onc-orders/onc-client';
import { findProduct } from '../db/repository.js';
import type { ProductRow } from '../db/schema.js';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import { applyRunStates } from '../progress/apply-run-states.js';
import { pollDelayMs } from '../poll-delay.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueue } from '../queues/pipeline-queues.js';
import { reorderProduct } from '../progress/reorder-product.js';
import { recordEvent } from '../state/transition.js';
import { failProductForOutcome, transientFromOutcome } from './outcome-handling.js';

/** ONC answers a second `run` of one request with this errorCode and message. */
const alreadyRunCode = 127;
const alreadyRunMessage = /already run/i;

/**
 * Starts ONC's processing of a product. `run` is called at most once per dpRequestId: the time of the call is saved
 * first, and a retry that finds it saved (the process died before the answer was recorded) asks `status` for the runs
 * instead of calling `run` again.
 */
export async function startRun(ctx: PipelineContext, productId: number, signal?: AbortSignal): Promise<void> {
  const product = findProduct(ctx.db, productId);
  if (!product || product.status !== 'requested' || product.dpRequestId === null) return;
  const dpRequestId = product.dpRequestId;

  if (product.runRequestedAt !== null && (await recoverRunsFromStatus(ctx, product, signal)) === 'recovered') return;

  await ctx.writes.write((tx) => updateById(tx, 'products', productId, { runRequestedAt: Date.now() }));
  const outcome = await ctx.client.run(dpRequestId, signal);
  ctx.failpoints.reach('after-run-before-save');
  switch (outcome.kind) {
    case 'ok':
      await acceptRuns(ctx, product, outcome.value, 'ONC ran the request');
      return;
    case 'notReady':
      await acceptRuns(
        ctx,
        product,
        outcome.value ?? [],
        `ONC queued the request: ${outcome.message || outcome.status}`,
      );
      return;
    case 'rejected': {
      const first = outcome.errors[0];
      if (first?.errorCode === alreadyRunCode && alreadyRunMessage.test(first.errorMessage)) {
        const recovery = await recoverRunsFromStatus(ctx, product, signal, { acceptUnstarted: true });
        if (recovery === 'recovered') return;
      }
      await failProductForOutcome(ctx, product, outcome);
      return;
    }
    case 'transient':
      throw transientFromOutcome(outcome);
    case 'runFailed':
    case 'endOfFiles':
    case 'gone':
    case 'cancelled':
      await failProductForOutcome(ctx, product, outcome);
      return;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Finds the runs of a request whose `run` call may have happened, through `status`. ONC lists a request's searches
 * before they are run, with no task status: those mean `run` never reached ONC ('not-started'), unless ONC has just
 * said the request was already run (`acceptUnstarted`), in which case they are taken as queued.
 */
async function recoverRunsFromStatus(
  ctx: PipelineContext,
  product: ProductRow,
  signal?: AbortSignal,
  options: { acceptUnstarted?: boolean } = {},
): Promise<'recovered' | 'not-started'> {
  const outcome = await ctx.client.status(product.dpRequestId ?? 0, signal);
  if (outcome.kind === 'transient') throw transientFromOutcome(outcome);
  if (outcome.kind === 'runFailed') {
    await failProductForOutcome(ctx, product, outcome);
    return 'recovered';
  }
  if (outcome.kind !== 'ok' || outcome.value.runs.length === 0) return 'not-started';
  const runs = outcome.value.runs;
  const unstarted = runs.every((run) => run.rawStatus === '');
  if (unstarted && !options.acceptUnstarted) return 'not-started';
  if (runs.some((run) => run.status === 'cancelled')) return restartCancelledRuns(ctx, product, signal);
  ctx.logger.info({ productId: product.id, dpRequestId: product.dpRequestId }, 'recovered runs through status');
  await acceptRuns(ctx, product, runs, 'runs recovered through status');
  return 'recovered';
}

/** The order was cancelled and restarted: ONC's `restart` puts the cancelled runs back in its queue. */
async function restartCancelledRuns(
  ctx: PipelineContext,
  product: ProductRow,
  signal?: AbortSignal,
): Promise<'recovered'> {
  const outcome = await ctx.client.restart(product.dpRequestId ?? 0, signal);
  if (outcome.kind === 'transient') throw transientFromOutcome(outcome);
  if (outcome.kind === 'ok' && outcome.value.length > 0) {
    recordEvent(
      ctx.db,
      product.orderId,
      'product',
      product.id,
      'onc-restart',
      `ONC restarted ${outcome.value.length} run(s)`,
    );
    await acceptRuns(ctx, product, outcome.value, 'ONC restarted the cancelled runs');
    return 'recovered';
  }
  // ONC would not restart them: order the product again instead.
  await reorderProduct(ctx, product.id, `ONC restart answered ${outcome.kind}`);
  return 'recovered';
}

async function acceptRuns(
  ctx: PipelineContext,
  product: ProductRow,
  runs: readonly RunInfo[],
  reason: string,
): Promise<void> {
  if ((await applyRunStates(ctx, product, runs, reason)) === 'settled') return;
  const fresh = findProduct(ctx.db, product.id) ?? product;
  await enqueue(
    ctx.queues,
    'poll',
    { productId: product.id },
    {
      title: productTitle(fresh),
      orderId: fresh.orderId,
      generation: fresh.generation,
      delayMs: pollDelayMs(fresh.estimatedProcessingSeconds, ctx.config.pollMinMs, ctx.config.pollMaxMs),
    },
  );
}
