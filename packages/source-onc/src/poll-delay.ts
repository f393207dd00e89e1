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

/**
 * When to check again on a product whose `run` was called at `runAt`, knowing ONC's estimate: ONC's estimate says
 * when the product should be ready, so checks close in on that moment (each wait two thirds of what is left, at most
 * `maxMs`) instead of keeping a fixed pace, and once it has passed they start quick and slow down again to the
 * regular pace (a quarter of the overrun, at least a quarter of `minMs`). A product that is ready close to its
 * estimate is found within a fraction of a second, with no more checks than the regular pace would make; a product
 * far past its estimate is checked at the regular pace. Without an estimate, the regular pace.
 */
export function nextCheckDelayMs(options: {
  estimatedProcessingSeconds: number | null | undefined;
  runAt: number | null | undefined;
  now: number;
  minMs: number;
  maxMs: number;
}): number {
  const { estimatedProcessingSeconds: estimate, runAt, now, minMs, maxMs } = options;
  const regular = pollDelayMs(estimate, minMs, maxMs);
  if (estimate === null || estimate === undefined || runAt === null || runAt === undefined) return regular;
  const quickest = minMs / 4;
  const remaining = runAt + estimate * 1000 - now;
  if (remaining > 0) return Math.min(maxMs, Math.max(quickest, (remaining * 2) / 3));
  return Math.min(regular, Math.max(quickest, -remaining / 4));
}
