/**
 * Writes an answer's status, headers and body, streaming the body chunk by chunk with backpressure, optionally at a
 * limited speed, and optionally broken (reset) or hung (stall) part-way on purpose. Both hosts answer through it,
 * so a body fault means the same thing for a JSON page and a 60 MB video.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedCall } from './call-log.js';
import type { FaultAction } from './faults.js';

export type BodyFault = Extract<FaultAction, { kind: 'resetMidBody' | 'stall' }>;

export interface SendBodyOptions {
  /** A HEAD request: headers only. */
  head: boolean;
  fault: BodyFault | null;
  /** Speed limit of this body in bytes per second; 0 for none. */
  bytesPerSecond: number;
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

export const isBodyFault = (action: FaultAction | null): action is BodyFault =>
  action?.kind === 'resetMidBody' || action?.kind === 'stall';

export async function sendBody(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string | number>>,
  chunks: Iterable<Buffer>,
  length: number,
  options: SendBodyOptions,
): Promise<void> {
  res.writeHead(status, { ...headers, 'Content-Length': length });
  if (options.head) {
    res.end();
    return;
  }
  const { fault } = options;
  const limit =
    fault === null ? Infinity : (fault.afterBytes ?? (fault.kind === 'resetMidBody' ? Math.floor(length / 2) : 0));
  const rate = options.bytesPerSecond;
  // Under a speed limit, write in slices of a twentieth of a second's worth so the pace is smooth.
  const slice = rate > 0 ? Math.max(1, Math.floor(rate / 20)) : Infinity;
  const began = Date.now();
  let sent = 0;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length && sent < limit;) {
      if (res.destroyed) return;
      if (rate > 0) {
        // Wait until the bytes already sent have had their time, so the last slice is not followed by a pause.
        const due = (sent / rate) * 1000 - (Date.now() - began);
        if (due > 0) await sleep(due);
        if (res.destroyed) return;
      }
      const part = chunk.subarray(at, at + Math.min(slice, limit - sent));
      at += part.length;
      sent += part.length;
      options.call.bodyBytes = sent;
      if (!res.write(part)) await drained(res);
    }
    if (sent >= limit) break;
  }
  if (res.destroyed) return;
  if (fault?.kind === 'resetMidBody') {
    // What was written still reaches the client; then the connection drops short of Content-Length.
    const socket = res.socket;
    if (socket) socket.destroySoon();
    else res.destroy();
    return;
  }
  if (fault?.kind === 'stall') return; // open and silent until the client gives up or the simulator closes
  res.end();
}
