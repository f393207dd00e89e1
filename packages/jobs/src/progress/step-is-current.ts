import type { ProductRow } from '../db/schema.js';

/**
 * Whether a step's outcome may still be committed: the product is where the step found it (same status, step and
 * generation). Otherwise it moved on meanwhile (another step, a restart's new generation) and the outcome is stale.
 */
export function stepIsCurrent(
  current: Pick<ProductRow, 'status' | 'step' | 'generation'>,
  found: Pick<ProductRow, 'status' | 'step' | 'generation'>,
): boolean {
  return current.status === found.status && current.step === found.step && current.generation === found.generation;
}
