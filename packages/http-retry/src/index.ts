// What every service client and the downloads share about retrying. Knows no service.
export { transientNetworkReason, isAbortError, networkFailureKind } from './transient-network-reason.js';
export { backoffDelayMs, type BackoffOptions } from './backoff.js';
export { parseRetryAfter } from './retry-after.js';
