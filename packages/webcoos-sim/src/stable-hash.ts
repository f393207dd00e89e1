/**
 * Values derived from names alone, so a simulator restarted with the same options serves the same uuids, counts,
 * sizes and bytes: a client that resumes against a new simulator process finds what it left.
 */
import { createHash } from 'node:crypto';

/** A 32-bit unsigned integer determined by the parts (SHA-1 based; the parts are joined unambiguously). */
export function stableUint32(...parts: readonly (string | number)[]): number {
  return createHash('sha1').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/** An integer in [min, max] (both inclusive) determined by the parts. */
export function stableIntBetween(min: number, max: number, ...parts: readonly (string | number)[]): number {
  return min + (stableUint32(...parts) % (max - min + 1));
}

/** A version-4-shaped UUID determined by the parts (random-looking, but the same for the same parts). */
export function stableUuid(...parts: readonly (string | number)[]): string {
  const bytes = createHash('sha1').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
