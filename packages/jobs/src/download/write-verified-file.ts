import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface VerifiedWrite {
  /** Bytes in the temporary file, resumed prefix included. */
  size: number;
  sha256: string;
}

/** The body ended before Content-Length was reached (or ran past it): the copy on disk cannot be trusted. */
export class LengthMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`expected ${expected} bytes, received ${received}`);
    this.name = 'LengthMismatchError';
  }
}

/** `write` may take fewer bytes than offered; the rest is written after them. */
async function writeFully(handle: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/**
 * Streams a download into `tempPath` with constant memory, hashing on the way and counting against the expected
 * length, then fsyncs it (unless told the caller will). With `resumeFrom`, the bytes already in the file are hashed first and the body is appended.
 */
export async function writeVerifiedFile(options: {
  body: Readable;
  tempPath: string;
  resumeFrom: number;
  expectedBodyLength: number | undefined;
  onProgress: (bytes: number) => void;
  signal?: AbortSignal;
  /** false: leave the fsync to the caller (see syncFile), who may do it after giving up the download slot. */
  sync?: boolean;
}): Promise<VerifiedWrite> {
  const hash = createHash('sha256');
  if (options.resumeFrom > 0) {
    await pipeline(
      createReadStream(options.tempPath, { end: options.resumeFrom - 1 }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) hash.update(chunk);
      },
    );
  }
  let received = 0;
  // Straight onto one file handle, without a stream pipeline: one open, the writes, one fsync and one close per file,
  // and little bookkeeping around them, which matters when most files are a few kilobytes. A resumed copy is
  // continued at exactly its own length (that is where the Range request started), so nothing stale can follow it.
  const handle = await open(options.tempPath, options.resumeFrom > 0 ? 'r+' : 'w');
  try {
    let position = options.resumeFrom;
    for await (const chunk of options.body as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      hash.update(chunk);
      received += chunk.length;
      await writeFully(handle, chunk, position);
      position += chunk.length;
      options.onProgress(options.resumeFrom + received);
    }
    options.signal?.throwIfAborted();
    if (options.sync !== false) await handle.sync();
  } finally {
    await handle.close();
  }
  if (options.expectedBodyLength !== undefined && received !== options.expectedBodyLength) {
    throw new LengthMismatchError(options.expectedBodyLength, received);
  }
  return { size: options.resumeFrom + received, sha256: hash.digest('hex') };
}
