/**
 * Writes an answer: JSON, compressed with br or gzip when the client accepts it (the official clients send
 * `Accept-Encoding: br`), with a Content-Length, and — when a fault says so — cut off after some bytes.
 * Records how many body bytes went out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { RecordedCall } from './call-log.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Bodies smaller than this go uncompressed, as most servers do. */
const COMPRESS_FROM_BYTES = 256;

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** The encoding to answer with, from an Accept-Encoding header: br over gzip, anything with q=0 refused. */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q !== undefined && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return 'identity';
}

export interface SendOptions {
  compression: boolean;
  headers?: Readonly<Record<string, string>>;
  /** Destroy the connection after this many body bytes, or half the body (a reset mid-body). */
  resetAfterBytes?: number | 'half' | null;
}

async function encode(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  switch (encoding) {
    case 'br':
      // The fastest levels: pages reach 10 MB, and the point is to exercise the client's decoding, not to win bytes.
      return brotli(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } });
    case 'gzip':
      return gzipAsync(body, { level: 1 });
    case 'identity':
      return body;
    default: {
      const never: never = encoding;
      throw new Error(`unknown encoding ${String(never)}`);
    }
  }
}

export async function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  call: RecordedCall,
  status: number,
  json: string,
  options: SendOptions,
): Promise<void> {
  const raw = Buffer.from(json, 'utf8');
  const encoding =
    options.compression && raw.length >= COMPRESS_FROM_BYTES
      ? chooseEncoding(req.headers['accept-encoding'])
      : 'identity';
  const body = await encode(raw, encoding);
  if (res.destroyed) return;
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    ...(options.compression ? { Vary: 'Accept-Encoding' } : {}),
    ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
    ...options.headers,
  };
  res.writeHead(status, headers);
  const cut = options.resetAfterBytes === 'half' ? Math.floor(body.length / 2) : options.resetAfterBytes;
  if (cut === undefined || cut === null || cut >= body.length) {
    call.bytesSent = body.length;
    res.end(body);
    return;
  }
  const part = body.subarray(0, cut);
  call.bytesSent = part.length;
  // Let the part reach the socket before destroying it, so the client really sees a truncated body.
  res.write(part, () => {
    res.socket?.destroy();
    res.destroy();
  });
}
