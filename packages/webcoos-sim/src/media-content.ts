/**
 * The bytes of every file on the media host, derived from its seed (the element's uuid and name) and size, and
 * generated block by block: a 60 MB video costs one 64 KiB block of memory while it streams, and the same element
 * always has the same bytes (and so the same sha256) in every simulator process.
 */
import { createHash } from 'node:crypto';
import { stableUint32 } from './stable-hash.js';

export interface MediaObject {
  /** Object key on the media host (the URL path without its leading slash, not percent-encoded). */
  key: string;
  sizeBytes: number;
  mimeType: string;
  /** Determines the content; two objects with the same seed, size and type are byte-identical. */
  seed: string;
}

/** Content is built in blocks of this many bytes, which are also the chunks handed to the socket. */
export const BLOCK_BYTES = 64 * 1024;

// Real file signatures, so a client that sniffs the first bytes (or a person running `file` on a download) sees a
// JPEG or an MP4 rather than noise. The rest is pseudo-random, not a decodable picture.
const JPEG_START = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
const JPEG_END = Buffer.from('ffd9', 'hex');
const MP4_START = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex');

function signatureOf(mimeType: string): { start: Buffer; end: Buffer | null } {
  if (mimeType === 'image/jpeg') return { start: JPEG_START, end: JPEG_END };
  if (mimeType === 'video/mp4') return { start: MP4_START, end: null };
  return { start: Buffer.alloc(0), end: null };
}

/** The pseudo-random bytes every block of an object starts from (xorshift32 seeded by the seed). */
function baseBlock(seed: string, length: number): Buffer {
  const words = Math.ceil(length / 4);
  const block = Buffer.allocUnsafe(words * 4);
  let state = stableUint32('media', seed) || 1;
  for (let i = 0; i < words; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    block.writeUInt32LE(state, i * 4);
  }
  return block.subarray(0, length);
}

/**
 * The object's bytes from `start` (inclusive) to `end` (exclusive). Block 0 opens with the file signature and the
 * seed; every later block opens with its number, so a duplicated, dropped or reordered block changes the hash.
 */
export function* mediaChunks(obj: MediaObject, start = 0, end: number = obj.sizeBytes): Generator<Buffer> {
  const size = obj.sizeBytes;
  const stop = Math.min(end, size);
  if (start >= stop) return;
  const base = baseBlock(obj.seed, Math.min(BLOCK_BYTES, size));
  const signature = signatureOf(obj.mimeType);
  const opening = Buffer.concat([signature.start, Buffer.from(`webcoos-sim ${obj.seed} ${size}\n`, 'utf8')]);
  for (let k = Math.floor(start / BLOCK_BYTES); k * BLOCK_BYTES < stop; k++) {
    const blockStart = k * BLOCK_BYTES;
    const length = Math.min(BLOCK_BYTES, size - blockStart);
    const block = Buffer.from(base.subarray(0, length));
    if (k === 0) opening.copy(block, 0, 0, Math.min(opening.length, length));
    else {
      const mark = Buffer.alloc(8);
      mark.writeBigUInt64BE(BigInt(k));
      mark.copy(block, 0, 0, Math.min(8, length));
    }
    if (signature.end && blockStart + length === size) {
      const at = Math.max(length - signature.end.length, 0);
      signature.end.copy(block, at, Math.max(signature.end.length - length, 0));
    }
    yield block.subarray(Math.max(start - blockStart, 0), Math.min(stop - blockStart, length));
  }
}

/** The whole object in memory; for tests and small files. */
export const mediaBytes = (obj: MediaObject): Buffer => Buffer.concat([...mediaChunks(obj)]);

/** SHA-256 (hex) of the object's bytes, computed block by block. */
export function mediaSha256Of(obj: MediaObject): string {
  const hash = createHash('sha256');
  for (const chunk of mediaChunks(obj)) hash.update(chunk);
  return hash.digest('hex');
}
