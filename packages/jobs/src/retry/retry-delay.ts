import { backoffDelayMs } from '@onc-orders/http-retry';
import { TransientFailure } from './transient-failure.js';

/** BullMQ's backoff for every job: exponential with full jitter, but never sooner than the service's Retry-After. */
export function retryDelayMs(attemptsMade: number, error: Error | undefined, baseMs: number): number {
  const backoff = backoffDelayMs(attemptsMade, { baseMs, maxMs: 60_000 });
  const retryAfter = error instanceof TransientFailure ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(backoff, retryAfter);
}
