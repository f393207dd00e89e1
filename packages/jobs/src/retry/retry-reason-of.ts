import { networkFailureKind } from '@onc-orders/http-retry';
import { retryReasonOfStatus, type RetryReason } from './retry-reason.js';
import { TransientFailure } from './transient-failure.js';

/** The first numeric `httpStatus` in an error's cause chain (the ONC client's errors carry one). */
function httpStatusIn(error: unknown, depth = 0): number | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { httpStatus, cause } = error as { httpStatus?: unknown; cause?: unknown };
  if (typeof httpStatus === 'number') return httpStatus;
  return httpStatusIn(cause, depth + 1);
}

/**
 * Why `error` makes its job try again: the reason its thrower gave (TransientFailure's `reason`), else an HTTP status
 * or a network failure found in its cause chain, else `transient` for a TransientFailure and `error` for anything
 * else.
 */
export function retryReasonOf(error: unknown): RetryReason {
  if (error instanceof TransientFailure && error.reason) return error.reason;
  const status = httpStatusIn(error);
  const byStatus = status === undefined ? undefined : retryReasonOfStatus(status);
  if (byStatus) return byStatus;
  const network = networkFailureKind(error);
  if (network) return network;
  return error instanceof TransientFailure ? 'transient' : 'error';
}
