/**
 * A valid gzip stream (RFC 1952) whose deflate data is made of stored, uncompressed blocks: its size is known from
 * the content's size alone, so a "compressed as archived" file can be listed with an exact fileSize and streamed
 * block by block without compressing anything. `gunzip` of it gives the content back.
 */

/** Content bytes per stored deflate block (a stored block holds at most 65,535). */
const STORED_BLOCK_BYTES = 32 * 1024;
/** ID1 ID2, CM = deflate, no flags, MTIME 0, XFL 0, OS 255 (unknown). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
const TRAILER_BYTES = 8;
const BLOCK_HEADER_BYTES = 5;

/** The size of the gzip stream for `contentBytes` bytes of content. */
export function storedGzipSize(contentBytes: number): number {
  const blocks = Math.max(1, Math.ceil(contentBytes / STORED_BLOCK_BYTES));
  return HEADER.length + blocks * BLOCK_HEADER_BYTES + contentBytes + TRAILER_BYTES;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(crc: number, bytes: Buffer): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

function blockHeader(length: number, final: boolean): Buffer {
  const header = Buffer.alloc(BLOCK_HEADER_BYTES);
  header[0] = final ? 1 : 0; // BFINAL, BTYPE 00 (stored), then padding to the byte boundary
  header.writeUInt16LE(length, 1);
  header.writeUInt16LE(~length & 0xffff, 3);
  return header;
}

/** The whole gzip stream of `content` (which must yield exactly `contentBytes` bytes). */
export function* storedGzipChunks(content: Iterable<Buffer>, contentBytes: number): Generator<Buffer> {
  yield HEADER;
  let crc = 0;
  let position = 0;
  let leftInBlock = 0;
  if (contentBytes === 0) yield blockHeader(0, true);
  for (let chunk of content) {
    while (chunk.length > 0) {
      if (leftInBlock === 0) {
        leftInBlock = Math.min(STORED_BLOCK_BYTES, contentBytes - position);
        yield blockHeader(leftInBlock, position + leftInBlock === contentBytes);
      }
      const piece = chunk.subarray(0, leftInBlock);
      chunk = chunk.subarray(piece.length);
      crc = crc32(crc, piece);
      position += piece.length;
      leftInBlock -= piece.length;
      yield piece;
    }
  }
  if (position !== contentBytes) throw new Error(`gzip content was ${position} bytes, expected ${contentBytes}`);
  const trailer = Buffer.alloc(TRAILER_BYTES);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(contentBytes % 2 ** 32, 4);
  yield trailer;
}
