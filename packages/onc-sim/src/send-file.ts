/**
 * Writes a file answer: whole (200) or one byte range (206, or 416 when the range starts past the end), streamed
 * block by block with backpressure, optionally throttled, optionally broken (truncate) or hung (stall) on purpose.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedCall } from './call-log.js';
import { contentDisposition } from './content-disposition.js';
import { fileChunks } from './file-content.js';
import type { FaultAction } from './faults.js';
import { parseRange } from './http-range.js';
import type { FileReply } from './reply.js';

export interface SendFileOptions {
  head: boolean;
  /** The request's Range header, if any. */
  rangeHeader: string | undefined;
  /** A `truncate` or `stall` fault to apply to the body, or null. */
  fault: Extract<FaultAction, { kind: 'truncate' | 'stall' }> | null;
  /** Stalled responses are registered here so closing the simulator can end them. */
  stalled: Set<ServerResponse>;
  call: RecordedCall;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function sendFile(res: ServerResponse, reply: FileReply, options: SendFileOptions): Promise<void> {
  const { file, delivery } = reply;
  const size = file.sizeBytes;
  const range = delivery.rangeSupport ? parseRange(options.rangeHeader, size) : ({ kind: 'whole' } as const);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' });
    res.end();
    return;
  }
  const start = range.kind === 'part' ? range.start : 0;
  const end = range.kind === 'part' ? range.end : size;
  const headers: Record<string, string | number> = {
    'Content-Type': file.mimeType,
    'Content-Length': end - start,
    'Content-Disposition': contentDisposition(file.name, delivery.filenameQuoting),
  };
  if (delivery.rangeSupport) headers['Accept-Ranges'] = 'bytes';
  if (range.kind === 'part') headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
  res.writeHead(range.kind === 'part' ? 206 : 200, headers);
  if (options.head) {
    res.end();
    return;
  }
  if (end === size) res.on('finish', reply.onSent);

  const { fault } = options;
  const limit = fault ? (fault.afterBytes ?? Math.floor((end - start) / 2)) : Infinity;
  const rate = delivery.bandwidthBytesPerSec;
  const slice = rate > 0 ? Math.max(1, Math.floor(rate / 20)) : Infinity;
  const began = Date.now();
  let sent = 0;
  for (const chunk of fileChunks(file, start, end)) {
    for (let at = 0; at < chunk.length && sent < limit;) {
      if (res.destroyed) return;
      const part = chunk.subarray(at, at + Math.min(slice, limit - sent));
      at += part.length;
      sent += part.length;
      options.call.bodyBytes = sent;
      if (!res.write(part)) await drained(res);
      if (rate > 0) {
        const due = (sent / rate) * 1000 - (Date.now() - began);
        if (due > 0) await sleep(due);
      }
    }
    if (sent >= limit) break;
  }
  if (res.destroyed) return;
  if (fault?.kind === 'truncate') {
    // What was written still reaches the client; then the connection drops mid-body.
    const socket = res.socket;
    if (socket) socket.destroySoon();
    else res.destroy();
    return;
  }
  if (fault?.kind === 'stall') {
    options.stalled.add(res);
    res.on('close', () => options.stalled.delete(res));
    return;
  }
  res.end();
}
