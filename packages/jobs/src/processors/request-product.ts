import { OncValidationError } from '@onc-orders/onc-client';
import { findProduct, filtersOf } from '../db/repository.js';
import type { PipelineContext } from '../pipeline-context.js';
import { settleOrder } from '../progress/settle.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueue } from '../queues/pipeline-queues.js';
import { leaseEnded } from '../state/leases.js';
import { transitionProduct } from '../state/transition.js';
import { failProductForOutcome, transientFromOutcome } from './outcome-handling.js';

/** ONC's errorCode for "no data found": the product ends as `nodata`, which is not a failure. */
const noDataErrorCode = 33;

/**
 * Asks ONC for a dpRequestId. Never twice: once a dpRequestId is saved the job only passes the product on, so a
 * retried or re-enqueued job cannot order the same product again.
 */
export async function requestProduct(ctx: PipelineContext, productId: number, signal?: AbortSignal): Promise<void> {
  const product = findProduct(ctx.db, productId);
  if (!product || product.status !== 'pending') return;
  if (product.dpRequestId !== null) {
    transitionProduct(ctx.db, productId, 'requested', { reason: 'dpRequestId already saved', onlyFrom: ['pending'] });
  } else {
    let outcome;
    try {
      outcome = await ctx.client.request(filtersOf(product), signal);
    } catch (error) {
      if (!(error instanceof OncValidationError)) throw error;
      transitionProduct(ctx.db, productId, 'failed', {
        onlyFrom: ['pending'],
        reason: 'filters refused before calling ONC',
        patch: { errorParameter: error.field ?? null, errorMessage: error.message },
      });
      await settleOrder(ctx, product.orderId);
      return;
    }
    ctx.failpoints.reach('after-request-before-save');
    switch (outcome.kind) {
      case 'ok': {
        const result = outcome.value;
        await ctx.writes.write((tx) =>
          transitionProduct(tx, productId, 'requested', {
            onlyFrom: ['pending'],
            reason: `ONC accepted the request as dpRequestId ${result.dpRequestId}`,
            patch: {
              dpRequestId: result.dpRequestId,
              estimatedFileSizeBytes: result.estimatedFileSizeBytes ?? result.fileSize ?? null,
              estimatedProcessingSeconds: result.estimatedProcessingSeconds ?? null,
              messages: JSON.stringify(result.messages),
              ...leaseEnded,
            },
          }),
        );
        break;
      }
      case 'rejected': {
        const first = outcome.errors[0];
        if (first?.errorCode === noDataErrorCode) {
          transitionProduct(ctx.db, productId, 'nodata', {
            onlyFrom: ['pending'],
            reason: first.errorMessage,
            patch: { errorCode: first.errorCode, errorMessage: first.errorMessage, errorParameter: first.parameter },
          });
          await settleOrder(ctx, product.orderId);
          return;
        }
        await failProductForOutcome(ctx, product, outcome);
        return;
      }
      case 'transient':
        throw transientFromOutcome(outcome);
      case 'notReady':
      case 'endOfFiles':
      case 'gone':
      case 'runFailed':
      case 'cancelled':
        await failProductForOutcome(ctx, product, outcome);
        return;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }
  ctx.failpoints.reach('after-request-saved');
  const updated = findProduct(ctx.db, productId);
  if (!updated || updated.status !== 'requested') return;
  await enqueue(
    ctx.queues,
    'run',
    { productId },
    { title: productTitle(updated), orderId: updated.orderId, generation: updated.generation },
  );
}
