import type { OutcomeKind } from './outcome.js';

/** Only transient outcomes are worth repeating; a rejection repeats identically, the others need a different step. */
export function isRetryable(outcome: { kind: OutcomeKind }): boolean {
  return outcome.kind === 'transient';
}
