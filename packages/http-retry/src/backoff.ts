export interface BackoffOptions {
  /** Delay ceiling for the first retry, in ms (default 1_000). */
  baseMs?: number;
  /** Largest delay ever returned, in ms (default 60_000). */
  maxMs?: number;
  /** Source of randomness in [0, 1) (default Math.random); inject for deterministic tests. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: a uniformly random wait in [0, min(maxMs, baseMs * 2^attempt)), so many
 * workers retrying after one hiccup of a service spread out instead of striking together. `attempt` counts from 0.
 */
export function backoffDelayMs(attempt: number, opts: BackoffOptions = {}): number {
  const baseMs = opts.baseMs ?? 1_000;
  const maxMs = opts.maxMs ?? 60_000;
  const random = opts.random ?? Math.random;
  const exponent = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 1_000));
  return Math.floor(random() * ceiling);
}
