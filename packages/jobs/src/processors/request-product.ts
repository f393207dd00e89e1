import { OncValidationError, validateFilters } from '@onc-orders/onc-client';
import { findProduct, filtersOf } from '../db/repository.js';
import type { ProductRow } from '../db/schema.js';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import { settleOrder } from '../progress/settle.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueue } from '../queues/pipeline-queues.js';
import { leaseEnded } from '../state/leases.js';
import { recordEvent, transitionProduct } from '../state/transition.js';
import { failProductForOutcome, transientFromOutcome } from './outcome-handling.js';

/** ONC's errorCode for "no data found": the product ends as `nodata`, which is not a failure. */
const noDataErrorCode = 33;

/**
 * Records that `request` is about to be sent, in the same write noting a request an earlier attempt may have made
 * and lost: one that set this mark and never cleared it died (or lost its connection) between sending and saving.
 */
async function markRequestSent(ctx: PipelineContext, product: ProductRow): Promise<void> {
  const lost = product.requestSentAt !== null;
  await ctx.writes.write((tx) => {
    updateById(tx, 'products', product.id, {
      requestSentAt: Date.now(),
      requestsSent: product.requestsSent + 1,
      requestsLost: product.requestsLost + (lost ? 1 : 0),
    });
    if (lost) {
      recordEvent(
        tx,
        product.orderId,
        'product',
        product.id,
        'request-lost',
        `a request may have been made and lost: \`request\` was sent at ${new Date(product.requestSentAt ?? 0).toISOString()} ` +
          'and its answer never saved (ONC has no idempotency key); asking again',
      );
    }
  });
}

/** ONC answered `request` without a dpRequestId: no request definition of ours is left behind on its side. */
function clearRequestSent(ctx: PipelineContext, productId: number): void {
  updateById(ctx.db, 'products', productId, { requestSentAt: null });
}

/**
 * Asks ONC for a dpRequestId. Never twice once one is saved: the job then only passes the product on, so a retried
 * or re-enqueued job cannot order the same product again. The one window left, a crash between sending and saving,
 * is recorded (see markRequestSent) rather than hidden.
 */
export async function requestProduct(ctx: PipelineContext, productId: number, signal?: AbortSignal): Promise<void> {
  const product = findProduct(ctx.db, productId);
  if (!product || product.status !== 'pending') return;
  if (product.dpRequestId !== null) {
    transitionProduct(ctx.db, productId, 'requested', { reason: 'dpRequestId already saved', onlyFrom: ['pending'] });
  } else {
    const filters = filtersOf(product);
    const checked = validateFilters(filters);
    if (!checked.ok) {
      const refusal = new OncValidationError(checked.issues, 'request');
      transitionProduct(ctx.db, productId, 'failed', {
        onlyFrom: ['pending'],
        reason: 'filters refused before calling ONC',
        patch: { errorParameter: refusal.field ?? null, errorMessage: refusal.message },
      });
      await settleOrder(ctx, product.orderId);
      return;
    }
    await markRequestSent(ctx, product);
    const outcome = await ctx.client.request(checked.filters, signal);
    ctx.failpoints.reach('after-request-before-save');
    // Every answer but `ok` (which saves its dpRequestId) and a call that got no answer at all ends the window.
    const answered = outcome.kind !== 'transient' || outcome.httpStatus !== undefined;
    if (outcome.kind !== 'ok' && answered) clearRequestSent(ctx, productId);
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
              requestSentAt: null,
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
