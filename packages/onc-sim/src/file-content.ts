/**
 * The bytes of simulated files. Content is a pure function of the file's `seed` and size, generated on the fly
 * in chunks, so a multi-gigabyte file costs no memory and a test can recompute exactly what it should have
 * received (`fileContent`, `fileSha256`).
 */
import { createHash } from 'node:crypto';
import { storedGzipChunks } from './archive/gzip-stored.js';

export interface FileSpec {
  /** The name the server announces in Content-Disposition (untrusted input for a client). */
  name: string;
  sizeBytes: number;
  mimeType: string;
  /** Determines the content; two files with the same seed and size are byte-identical. */
  seed: string;
  /**
   * Set for an archive file served as the archive stores it, gzip-compressed: the bytes are then a gzip stream
   * (archive/gzip-stored.ts, `sizeBytes` long) of the content `{ name, seed, sizeBytes: gzipOf.sizeBytes }`.
   */
  gzipOf?: { sizeBytes: number };
}

/** Content is built in blocks of this many bytes (also the size of the chunks handed to the socket). */
export const BLOCK_BYTES = 64 * 1024;
const LINE = 64;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The first `length` bytes of one block of printable pseudo-random lines, determined by the seed. Only what the file
 * needs is generated: a 4 KiB file would otherwise pay for a whole 64 KiB block on every download.
 */
function baseBlock(seed: string, length: number): Buffer {
  const block = Buffer.allocUnsafe(length);
  let state = fnv1a(seed) || 1;
  for (let i = 0; i < length; i++) {
    if (i % LINE === LINE - 1) {
      block[i] = 0x0a;
      continue;
    }
    // xorshift32: fast, deterministic, and enough to make every file's bytes distinct.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    block[i] = ALPHABET.charCodeAt(state % ALPHABET.length);
  }
  return block;
}

/**
 * The file's bytes from `start` (inclusive) to `end` (exclusive), one block at a time. Block 0 opens with a header
 * line naming the file; every other block opens with its block number, so a duplicated, dropped or reordered
 * block changes the hash.
 */
export function* fileChunks(spec: FileSpec, start = 0, end: number = spec.sizeBytes): Generator<Buffer> {
  if (spec.gzipOf) {
    yield* gzipFileChunks(spec, spec.gzipOf.sizeBytes, start, end);
    return;
  }
  const base = baseBlock(spec.seed, Math.min(BLOCK_BYTES, spec.sizeBytes));
  const header = Buffer.from(`# ONC simulator file ${JSON.stringify(spec.name)} (${spec.sizeBytes} bytes)\n`, 'utf8');
  const stop = Math.min(end, spec.sizeBytes);
  for (let k = Math.floor(start / BLOCK_BYTES); k * BLOCK_BYTES < stop; k++) {
    const blockStart = k * BLOCK_BYTES;
    const size = Math.min(BLOCK_BYTES, spec.sizeBytes - blockStart);
    const block = Buffer.from(base.subarray(0, size));
    const mark = k === 0 ? header : Buffer.from(`#${k.toString(16).padStart(14, '0')}\n`, 'latin1');
    mark.copy(block, 0, 0, Math.min(mark.length, size));
    yield block.subarray(Math.max(start - blockStart, 0), Math.min(stop - blockStart, size));
  }
}

/**
 * Bytes `start`..`end` of a gzip-served file. The stream is generated from its beginning (the CRC in its trailer
 * needs every content byte anyway); archive files stored compressed are small, so a resumed download pays little.
 */
function* gzipFileChunks(spec: FileSpec, contentBytes: number, start: number, end: number): Generator<Buffer> {
  const inner: FileSpec = { name: spec.name, sizeBytes: contentBytes, mimeType: spec.mimeType, seed: spec.seed };
  const stop = Math.min(end, spec.sizeBytes);
  let position = 0;
  for (const chunk of storedGzipChunks(fileChunks(inner), contentBytes)) {
    const chunkEnd = position + chunk.length;
    if (chunkEnd > start && position < stop)
      yield chunk.subarray(Math.max(start - position, 0), Math.min(stop - position, chunk.length));
    position = chunkEnd;
    if (position >= stop) return;
  }
}

/** The whole file in memory; for tests and small files. */
export const fileContent = (spec: FileSpec): Buffer => Buffer.concat([...fileChunks(spec)]);

/** SHA-256 (hex) of the file's bytes, computed without holding the file in memory. */
export function fileSha256(spec: FileSpec): string {
  const hash = createHash('sha256');
  for (const chunk of fileChunks(spec)) hash.update(chunk);
  return hash.digest('hex');
}
