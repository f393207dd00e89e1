import type { RetryReason } from './retry-reason.js';

/**
 * Thrown by a processor or a source when its service (or the network) failed in a way worth retrying. The worker runtime turns it into a
 * BullMQ retry with backoff, or, on the last attempt, into a final failure of the entity the job works on.
 */
export class TransientFailure extends Error {
  /** Why, in the words the retry metric counts by; when absent, read from the failure itself (see retryReasonOf). */
  readonly reason: RetryReason | undefined;

  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; reason?: RetryReason },
  ) {
    super(message, options);
    this.name = 'TransientFailure';
    this.reason = options?.reason;
  }
}
