import { TransientFailure, type ServiceError } from '@onc-orders/jobs';
import type { DataStreamAnswer } from './datastream-client.js';
import type { ForbiddenTracker } from './forbidden-tracker.js';

type Refused = Extract<DataStreamAnswer, { kind: 'refused' }>;

/** What a status other than 200 means for the pull. */
export type RefusalReading =
  /** Worth trying again later (429, a legacy over-limit 403, 5xx): thrown by the step, retried by the core. */
  | { kind: 'transient'; failure: TransientFailure }
  /** The key is missing or invalid: every call would be refused the same, so the whole order fails. */
  | { kind: 'bad-key'; error: ServiceError }
  /** 408 or 504: the query ran past the service's 30 s limit. */
  | { kind: 'timeout'; error: ServiceError }
  /** 413: the page is too large. */
  | { kind: 'too-large'; error: ServiceError }
  /** Anything else (400, 404 …): retrying cannot cure it. */
  | { kind: 'refused'; error: ServiceError };

/** A short random wait for a 429 without Retry-After: at least one place in the 2-a-second budget, spread out. */
function overLimitWaitMs(): number {
  return 500 + Math.floor(Math.random() * 1_000);
}

const errorOf = (answer: Refused, message: string): ServiceError => ({ code: answer.status, parameter: null, message });

export function readRefusal(answer: Refused, forbidden: ForbiddenTracker): RefusalReading {
  const said = answer.message ? `: ${answer.message}` : '';
  const { status } = answer;
  if (status === 429) {
    return {
      kind: 'transient',
      failure: new TransientFailure(
        `DataStream answered 429 (too many requests)`,
        answer.retryAfterMs ?? overLimitWaitMs(),
        { reason: 'rate-limited' },
      ),
    };
  }
  if (status === 401) {
    return {
      kind: 'bad-key',
      error: errorOf(answer, 'DataStream answered 401 (no API key was accepted): set DATASTREAM_API_KEY'),
    };
  }
  if (status === 403) {
    if (forbidden.forbiddenLooksLikeOverLimit()) {
      return {
        kind: 'transient',
        failure: new TransientFailure(
          'DataStream answered 403 after accepting the key: read as its older over-the-rate-limit answer',
          answer.retryAfterMs ?? overLimitWaitMs(),
          { reason: 'rate-limited' },
        ),
      };
    }
    return {
      kind: 'bad-key',
      error: errorOf(answer, 'DataStream answered 403 (the API key is not valid): check DATASTREAM_API_KEY'),
    };
  }
  if (status === 408 || status === 504)
    return { kind: 'timeout', error: errorOf(answer, `DataStream timed out (${status})${said}`) };
  if (status === 413)
    return { kind: 'too-large', error: errorOf(answer, `DataStream answered 413 (page too large)${said}`) };
  if (status >= 500) {
    return {
      kind: 'transient',
      failure: new TransientFailure(`DataStream answered ${status}${said}`, answer.retryAfterMs, {
        reason: 'server-error',
      }),
    };
  }
  if (status === 400 && answer.message === null) {
    return {
      kind: 'refused',
      error: errorOf(answer, 'DataStream answered 400 with no message, its answer to a query that is not URL-encoded'),
    };
  }
  return { kind: 'refused', error: errorOf(answer, `DataStream refused the query (${status})${said}`) };
}
