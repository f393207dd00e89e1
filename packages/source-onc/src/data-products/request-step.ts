import type { PrepareOutcome } from '@onc-orders/jobs';
import { OncValidationError, noDataError, validateFilters } from '@onc-orders/onc-client';
import type { DataProductFileMeta, DataProductState } from './data-products-state.js';
import { describeOutcome, transientFromOutcome } from '../describe-outcome.js';
import type { DataProductStep } from './step-context.js';

type Outcome = PrepareOutcome<DataProductState, DataProductFileMeta>;

/**
 * Asks ONC for a dpRequestId. Its intent is committed first, once the call's turn under the fleet's pace has come and
 * just before it is sent: a worker that dies after sending `request` and before its answer is saved leaves the
 * intent behind, and the next attempt records "a request may have been made and lost" (ONC has no idempotency key,
 * so that window cannot be closed; it is never hidden). Committed before the wait for the pace instead, a worker
 * killed while its requests queued would leave one such record for every request it never sent.
 */
export async function requestStep(step: DataProductStep): Promise<Outcome> {
  const { product, context, service } = step;
  const before = product.state;
  const checked = validateFilters(product.params);
  if (!checked.ok) {
    const refusal = new OncValidationError(checked.issues, 'request');
    return {
      kind: 'rejected',
      state: before,
      error: { code: null, parameter: refusal.field, message: refusal.message },
    };
  }
  const lost = before.requestSentAt !== null;
  const sent: DataProductState = {
    ...before,
    requestsSent: before.requestsSent + 1,
    requestsLost: before.requestsLost + (lost ? 1 : 0),
  };
  // Stamped when the request leaves, not when it began to wait for its turn.
  const recordIntent = () =>
    context.checkpoint(
      { ...sent, requestSentAt: Date.now() },
      lost
        ? {
            kind: 'request-lost',
            reason:
              `a request may have been made and lost: \`request\` was sent at ` +
              `${new Date(before.requestSentAt ?? 0).toISOString()} and its answer never saved (ONC has no ` +
              'idempotency key); asking again',
          }
        : undefined,
    );
  const outcome = await service.client.request(checked.filters, context.signal, recordIntent);
  context.failpoint('after-request-before-save');
  // Any answer ends the window; only a call that got none at all may have left a request behind.
  const answered: DataProductState = { ...sent, requestSentAt: null };
  switch (outcome.kind) {
    case 'ok': {
      const result = outcome.value;
      return {
        kind: 'continue',
        state: {
          ...answered,
          dpRequestId: result.dpRequestId,
          estimatedFileSizeBytes: result.estimatedFileSizeBytes ?? result.fileSize ?? null,
          estimatedProcessingSeconds: result.estimatedProcessingSeconds ?? null,
          messages: result.messages,
        },
        reason: `ONC accepted the request as dpRequestId ${result.dpRequestId}`,
        failpointAfterSave: 'after-request-saved',
      };
    }
    case 'rejected': {
      const noData = noDataError(outcome.errors);
      if (noData) {
        return {
          kind: 'nodata',
          state: answered,
          error: { code: noData.errorCode, parameter: noData.parameter, message: noData.errorMessage },
        };
      }
      return { kind: 'rejected', state: answered, error: describeOutcome(outcome) };
    }
    case 'transient':
      if (outcome.httpStatus !== undefined) await context.checkpoint(answered);
      throw transientFromOutcome(outcome);
    case 'notReady':
    case 'endOfFiles':
    case 'gone':
    case 'runFailed':
    case 'cancelled':
      return { kind: 'rejected', state: answered, error: describeOutcome(outcome) };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
