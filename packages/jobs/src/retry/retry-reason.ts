/**
 * Why a job is tried again, as the retry metric counts it: a short, closed list, so that no message, path or id
 * ever becomes a label value.
 */
export const retryReasons = [
  /** 429, or the service asked every caller to wait. */
  'rate-limited',
  /** 5xx. */
  'server-error',
  /** 408, or no answer in time. */
  'timeout',
  /** Resets, refused connections, DNS: the network, not the service's answer. */
  'network',
  /** A body that ended short of (or past) its length. */
  'incomplete-body',
  /** The service said a file is gone, and it is asked for again. */
  'gone',
  /** A Range answer that does not continue the partial copy: the file is fetched whole. */
  'range',
  /** An answer that could not be read (not JSON, not the shape the protocol promises). */
  'unreadable-answer',
  /** Another failure its thrower called transient. */
  'transient',
  /** An error nobody called transient (a bug, a disk): retried all the same. */
  'error',
] as const;

export type RetryReason = (typeof retryReasons)[number];

/** The reason an HTTP status that is retried stands for; undefined for a status that is not retried. */
export function retryReasonOfStatus(status: number): RetryReason | undefined {
  if (status === 429) return 'rate-limited';
  if (status === 408) return 'timeout';
  if (status >= 500 && status <= 599) return 'server-error';
  return undefined;
}
