/**
 * How each host writes an answer that is not its normal one: the API in Django REST Framework's JSON
 * (`{"detail": "…"}`), the media host in S3's XML error documents.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { RecordedCall, SimHost } from './call-log.js';
import type { FaultAction } from './faults.js';
import { sendBody } from './send-body.js';

export type StatusFault = Extract<FaultAction, { kind: 'status' }>;

export const JSON_TYPE = 'application/json';
export const XML_TYPE = 'application/xml';

/** S3's error codes for the statuses a client meets (others get a generic code). */
const S3_CODES: Readonly<Record<number, string>> = {
  400: 'InvalidArgument',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  405: 'MethodNotAllowed',
  416: 'InvalidRange',
  429: 'SlowDown',
  500: 'InternalError',
  503: 'SlowDown',
};

/** An S3-style XML error document. */
export function s3ErrorXml(status: number, message: string, key: string): string {
  const code = S3_CODES[status] ?? (STATUS_CODES[status] ?? 'Error').replace(/\W/g, '');
  const escape = (text: string) =>
    text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${escape(message)}</Message><Key>${escape(key)}</Key>` +
    `<RequestId>webcoos-sim</RequestId></Error>`
  );
}

/** Writes an injected status answer, in the host's own error style unless the fault brings its own body. */
export async function writeStatusFault(
  res: ServerResponse,
  host: SimHost,
  action: StatusFault,
  context: { head: boolean; key: string; call: RecordedCall },
): Promise<void> {
  const reason = STATUS_CODES[action.status] ?? 'Error';
  const headers: Record<string, string> = { ...action.headers };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  let body: Buffer;
  if (action.body === undefined) {
    body = Buffer.from(
      host === 'api'
        ? JSON.stringify({ detail: `${reason} (simulated)` })
        : s3ErrorXml(action.status, reason, context.key),
    );
    if (!hasType) headers['Content-Type'] = host === 'api' ? JSON_TYPE : XML_TYPE;
  } else if (typeof action.body === 'string') {
    body = Buffer.from(action.body, 'utf8');
    if (!hasType) headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else {
    body = Buffer.from(JSON.stringify(action.body), 'utf8');
    if (!hasType) headers['Content-Type'] = JSON_TYPE;
  }
  await sendBody(res, action.status, headers, [body], body.length, {
    head: context.head,
    fault: null,
    bytesPerSecond: 0,
    call: context.call,
  });
}

/** Drops the connection without an answer. */
export function resetConnection(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}
