import { describeCall, type OncCallContext } from '../call-context.js';
import { OncError } from './onc-error.js';

/** A failure that says nothing about the request itself (5xx, 429, resets, timeouts): retry it later. */
export class OncTransientError extends OncError {
  override name = 'OncTransientError';
  override readonly retryable = true;
  /** The wait ONC asked for with Retry-After, when it did. */
  readonly retryAfterMs?: number;
  /** No answer came within the client's own deadline (connect and headers together). */
  readonly timedOut: boolean;

  constructor(
    context: OncCallContext,
    reason: string,
    details: { httpStatus?: number; retryAfterMs?: number; cause?: unknown; timedOut?: boolean } = {},
  ) {
    const status = details.httpStatus === undefined ? '' : `HTTP ${details.httpStatus}, `;
    const wait = details.retryAfterMs === undefined ? '' : ` (retry after ${details.retryAfterMs} ms)`;
    super(`${describeCall(context)} failed transiently: ${status}${reason}${wait}`, {
      ...context,
      httpStatus: details.httpStatus,
      cause: details.cause,
    });
    this.retryAfterMs = details.retryAfterMs;
    this.timedOut = details.timedOut ?? false;
  }
}
