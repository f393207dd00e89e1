import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
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

/**
 * Streams a download into `tempPath` with constant memory, hashing on the way and counting against the expected
 * length, then fsyncs it. With `resumeFrom`, the bytes already in the file are hashed first and the body is appended.
 */
export async function writeVerifiedFile(options: {
  body: Readable;
  tempPath: string;
  resumeFrom: number;
  expectedBodyLength: number | undefined;
  onProgress: (bytes: number) => void;
  signal?: AbortSignal;
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
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      received += chunk.length;
      options.onProgress(options.resumeFrom + received);
      callback(null, chunk);
    },
  });
  // `flush` fsyncs the file before the stream closes it: one open and one close per file. A resumed copy is appended
  // at exactly its own length (that is where the Range request started), so nothing stale can follow it.
  const sink = createWriteStream(options.tempPath, {
    flags: options.resumeFrom > 0 ? 'r+' : 'w',
    start: options.resumeFrom,
    flush: true,
  });
  await pipeline(options.body, counter, sink, options.signal ? { signal: options.signal } : {});
  if (options.expectedBodyLength !== undefined && received !== options.expectedBodyLength) {
    throw new LengthMismatchError(options.expectedBodyLength, received);
  }
  return { size: options.resumeFrom + received, sha256: hash.digest('hex') };
}
