/**
 * Seeded randomness. The dataset is drawn from one sequential PRNG (same seed, same dataset), and each row's own
 * details come from a PRNG seeded by a hash of (seed, row Id), so a row can be rebuilt on demand, alone, without
 * keeping hundreds of thousands of row objects in memory.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit hash (murmur3's finaliser over each part), for per-row seeds. */
export function hashInts(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Split doubles above 2^32 (row Ids may be large) into two 32-bit words.
    const low = part >>> 0;
    const high = Math.floor(part / 4294967296) >>> 0;
    for (const word of [low, high]) {
      h ^= Math.imul(word, 0xcc9e2d51);
      h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An integer in [min, max] (both included). */
export const intBetween = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

/** One element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** One element of a list of [item, weight] pairs, chosen in proportion to the weights. */
export function pickWeighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [item, weight] of items) {
    draw -= weight;
    if (draw < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new RangeError('pickWeighted from an empty list');
  return last[0];
}

/** True with probability p. */
export const chance = (random: Random, p: number): boolean => random() < p;

/** A normally distributed number (Box–Muller). */
export function normal(random: Random, mean: number, sd: number): number {
  const u = 1 - random();
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
