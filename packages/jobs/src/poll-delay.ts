/**
 * When to look at a product ONC is still processing again: 2% of ONC's own estimate, clamped to the configured bounds
 * (1–30 s by default). ONC's Python client polls the same way; an unknown estimate polls at the lower bound.
 */
export function pollDelayMs(
  estimatedProcessingSeconds: number | null | undefined,
  minMs: number,
  maxMs: number,
): number {
  if (estimatedProcessingSeconds === null || estimatedProcessingSeconds === undefined) return minMs;
  return Math.min(maxMs, Math.max(minMs, estimatedProcessingSeconds * 1000 * 0.02));
}
