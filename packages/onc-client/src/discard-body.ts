import type { Readable } from 'node:stream';

/**
 * Throws away a response body this client will not hand out. undici reports a body destroyed before its end as an
 * 'error' event, which would crash the process as an unhandled error if nobody listened: listen, then destroy.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
