/**
 * `$count` for a large result is "an estimate (~0.0005% accurate)", the documents say. The simulator's estimate is
 * the exact count moved by a deterministic amount within that accuracy, chosen by the filter, so the same query
 * gets the same estimate.
 */
import { hashInts } from './prng.js';

const ACCURACY = 0.000005;

export function estimateCount(exact: number, filterText: string | null): number {
  let h = 0;
  for (const ch of filterText ?? '') h = hashInts(h, ch.charCodeAt(0));
  const unit = hashInts(h, exact) / 4294967295; // [0, 1]
  return Math.round(exact * (1 + (unit * 2 - 1) * ACCURACY));
}
