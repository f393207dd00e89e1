import type { FetchOutcome } from '@onc-orders/jobs';
import type { DownloadedBody } from '@onc-orders/onc-client';

/**
 * A file ONC is sending, as the core takes it: the body unread, with what ONC said of its length and range, and
 * the name to give it (server text: the core makes it safe).
 */
export function bodyOfDownload<Meta>(
  answer: DownloadedBody,
  named: { fileName?: string | undefined; meta?: Meta },
): Extract<FetchOutcome<unknown, Meta>, { kind: 'body' }> {
  return {
    kind: 'body',
    body: answer.body,
    httpStatus: answer.httpStatus,
    ...(answer.contentLength !== undefined ? { contentLength: answer.contentLength } : {}),
    ...(answer.partial ? { partial: answer.partial } : {}),
    ...(named.fileName !== undefined ? { fileName: named.fileName } : {}),
    ...(named.meta !== undefined ? { meta: named.meta } : {}),
  };
}
