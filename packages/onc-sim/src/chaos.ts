/**
 * Seeded random faults: each call draws from a PRNG seeded once, so a given seed and sequence of calls always
 * yields the same faults — a failing chaos test can be replayed.
 */
import type { FaultAction } from './faults.js';

export interface ChaosOptions {
  /** Seed of the PRNG (any integer). */
  seed: number;
  /** Probability (0..1) that a call answers 500. */
  http500?: number;
  /** Probability that a call answers 503 with Retry-After: 1. */
  http503?: number;
  /** Probability that a file download breaks half-way through its body. */
  resetMidBody?: number;
  /** Probability that a file download answers 202 "Transferring … to the FTP server" although the file is ready. */
  notReadyAfterComplete?: number;
  /** Probability that a file download answers 410 although the file is there. */
  goneBeforeReady?: number;
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Chaos {
  readonly options: ChaosOptions;
  readonly #random: () => number;

  constructor(options: ChaosOptions) {
    for (const [key, p] of Object.entries(options)) {
      if (key !== 'seed' && (typeof p !== 'number' || !(p >= 0 && p <= 1)))
        throw new RangeError(`chaos.${key} must be a probability between 0 and 1`);
    }
    const total = (options.http500 ?? 0) + (options.http503 ?? 0);
    const fileTotal =
      (options.resetMidBody ?? 0) + (options.notReadyAfterComplete ?? 0) + (options.goneBeforeReady ?? 0);
    if (total > 1 || fileTotal > 1) throw new RangeError('chaos probabilities of one phase must add up to at most 1');
    this.options = options;
    this.#random = mulberry32(options.seed);
  }

  /** Drawn once for every service call (every service: dataProductDelivery, archivefile, discovery). */
  beforeCall(): FaultAction | null {
    const r = this.#random();
    const p500 = this.options.http500 ?? 0;
    if (r < p500) return { kind: 'status', status: 500, body: { message: 'Internal Server Error (simulated)' } };
    if (r < p500 + (this.options.http503 ?? 0))
      return {
        kind: 'status',
        status: 503,
        headers: { 'Retry-After': '1' },
        body: { message: 'Service Unavailable (simulated)' },
      };
    return null;
  }

  /**
   * Drawn once for every archive download about to send a file: only `resetMidBody` applies (the FTP server's
   * 202/410 belong to dataProductDelivery).
   */
  beforeArchiveFile(): FaultAction | null {
    return this.#random() < (this.options.resetMidBody ?? 0) ? { kind: 'truncate' } : null;
  }

  /** Drawn once for every dataProductDelivery download about to send a file. */
  beforeFile(): FaultAction | null {
    const r = this.#random();
    let edge = this.options.resetMidBody ?? 0;
    if (r < edge) return { kind: 'truncate' };
    edge += this.options.notReadyAfterComplete ?? 0;
    if (r < edge) return { kind: 'notReadyAfterComplete' };
    edge += this.options.goneBeforeReady ?? 0;
    if (r < edge) return { kind: 'goneBeforeReady' };
    return null;
  }
}
