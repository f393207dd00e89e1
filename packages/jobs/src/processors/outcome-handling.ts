import type { OncOutcome } from '@onc-orders/onc-client';
import type { ProductRow } from '../db/schema.js';
import type { PipelineContext } from '../pipeline-context.js';
import { settleOrder } from '../progress/settle.js';
import { TransientFailure } from '../retry/transient-failure.js';
import { activeProductStatuses } from '../state/product-status.js';
import { transitionProduct } from '../state/transition.js';

type FailingOutcome = Exclude<OncOutcome<unknown>, { kind: 'ok' } | { kind: 'transient' }>;

/** Describes an ONC answer for the order's record: the error code, parameter and message ONC gave, if any. */
export function describeOutcome(outcome: FailingOutcome): {
  code: number | null;
  parameter: string | null;
  message: string;
} {
  switch (outcome.kind) {
    case 'rejected': {
      const first = outcome.errors[0];
      return {
        code: first?.errorCode ?? null,
        parameter: first?.parameter ?? null,
        message:
          outcome.errors.map((e) => `${e.errorCode} ${e.errorMessage} (${e.parameter})`).join('; ') ||
          outcome.error.message,
      };
    }
    case 'runFailed':
      return { code: null, parameter: null, message: `ONC run failed: ${outcome.message}` };
    case 'cancelled':
      return { code: null, parameter: null, message: 'the run was cancelled on ONC' };
    case 'gone':
      return { code: null, parameter: null, message: 'the file is gone from ONC (410)' };
    case 'notReady':
      return { code: null, parameter: null, message: `unexpected 202 from ONC: ${outcome.message}` };
    case 'endOfFiles':
      return { code: null, parameter: null, message: `unexpected ${outcome.httpStatus} from ONC` };
    default: {
      const unreachable: never = outcome;
      return { code: null, parameter: null, message: String(unreachable) };
    }
  }
}

/** Ends a product as failed with ONC's own code and message, then lets the order settle. */
export async function failProductForOutcome(
  ctx: PipelineContext,
  product: ProductRow,
  outcome: FailingOutcome,
): Promise<void> {
  const described = describeOutcome(outcome);
  ctx.logger.warn({ orderId: product.orderId, productId: product.id, onc: described }, 'product failed');
  transitionProduct(ctx.db, product.id, 'failed', {
    onlyFrom: activeProductStatuses,
    reason: described.message,
    patch: { errorCode: described.code, errorParameter: described.parameter, errorMessage: described.message },
  });
  await settleOrder(ctx, product.orderId);
}

export function transientFromOutcome(outcome: Extract<OncOutcome<unknown>, { kind: 'transient' }>): TransientFailure {
  return new TransientFailure(outcome.error.message, outcome.retryAfterMs, { cause: outcome.error });
}
