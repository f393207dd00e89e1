import type { ServiceError } from '@onc-orders/jobs';
import type { OncOutcome } from '@onc-orders/onc-client';
import { TransientFailure } from '@onc-orders/jobs';

/** An ONC answer that ends what it answered: everything but `ok` and `transient`. */
export type FailingOutcome = Exclude<OncOutcome<unknown>, { kind: 'ok' } | { kind: 'transient' }>;

/** Describes an ONC answer for the order's record: the error code, parameter and message ONC gave, if any. */
export function describeOutcome(outcome: FailingOutcome): ServiceError {
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

/**
 * A transient ONC answer as the core retries it: with backoff, never sooner than ONC's Retry-After. The core reads
 * the retry's reason from the error's HTTP status or network cause; the client's own deadline has neither.
 */
export function transientFromOutcome(outcome: Extract<OncOutcome<unknown>, { kind: 'transient' }>): TransientFailure {
  return new TransientFailure(outcome.error.message, outcome.retryAfterMs, {
    cause: outcome.error,
    ...(outcome.error.timedOut ? { reason: 'timeout' as const } : {}),
  });
}
