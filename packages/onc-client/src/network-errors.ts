import { transientNetworkReason } from '@onc-orders/http-retry';
import type { OncCallContext } from './call-context.js';
import { OncTransientError } from './errors/onc-transient-error.js';
import type { OncMethod } from './onc-method.js';

/**
 * Resets, refused connections, DNS hiccups, timeouts and socket errors become an OncTransientError to retry with
 * backoff. Aborts (the caller's signal) and anything unrecognised give undefined: rethrow those. Use it also for a
 * download body that breaks mid-stream. The original error is kept as `cause`; Node and undici network errors carry
 * addresses and ports but never the request URL, so the token cannot ride along.
 */
export function classifyNetworkError(
  error: unknown,
  method: OncMethod,
  context: Omit<OncCallContext, 'method'> = {},
): OncTransientError | undefined {
  const reason = transientNetworkReason(error);
  if (reason === undefined) return undefined;
  return new OncTransientError({ ...context, method }, reason, { cause: error });
}
