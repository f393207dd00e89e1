import {
  retryReasonOfStatus,
  TransientFailure,
  type FetchOutcome,
  type FileSnapshot,
  type ProductSnapshot,
} from '@onc-orders/jobs';
import { parseRetryAfter } from '@onc-orders/http-retry';
import { parseContentRange } from '@onc-orders/onc-client';
import type { WebcoosService } from './webcoos-service.js';
import type { WebcoosSpec } from './webcoos-spec.js';
import type { WebcoosFileMeta, WebcoosParams, WebcoosState } from './webcoos-state.js';

type Outcome = FetchOutcome<WebcoosState, WebcoosFileMeta>;

/**
 * Downloads one element from the media host (S3-style storage: a plain GET, never the WebCOOS token), from
 * `rangeStart` when resuming. The file goes in the asset's folder under its own name (the core makes it safe: the
 * colons of real names are replaced). A missing object is `gone`, asked again a few times before the file fails.
 */
export async function fetchElement(
  service: WebcoosService,
  file: FileSnapshot<WebcoosFileMeta>,
  product: ProductSnapshot<WebcoosSpec, WebcoosParams, WebcoosState>,
  request: { rangeStart?: number; signal: AbortSignal | undefined },
): Promise<Outcome> {
  const { url, name } = file.meta;
  const where = `${name} (${new URL(url).host})`;
  const answer = await service.client.getMedia(url, request.rangeStart, request.signal);
  const { status, headers, body } = answer;
  if (status === 200 || status === 206) {
    const length = headers['content-length'];
    const contentLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    const base = {
      kind: 'body' as const,
      body,
      ...(contentLength !== undefined ? { contentLength } : {}),
      fileName: name,
      folder: product.params.asset,
    };
    if (status === 200) return { ...base, httpStatus: 200 };
    const range = parseContentRange(headers['content-range']);
    if (range === undefined) {
      body.on('error', () => undefined);
      body.destroy();
      throw new TransientFailure(`${where}: a partial answer without a usable Content-Range`);
    }
    return {
      ...base,
      httpStatus: 206,
      partial: range.total === undefined ? { start: range.start } : { start: range.start, total: range.total },
    };
  }
  const detail = await service.client.quote(body);
  const said = `the media host answered ${status} for ${where}${detail ? `: ${detail}` : ''}`;
  if (status === 416 && request.rangeStart !== undefined) return { kind: 'rangeRefused' };
  if (status === 429 || status === 408 || status >= 500)
    throw new TransientFailure(said, parseRetryAfter(headers['retry-after']), { reason: retryReasonOfStatus(status) });
  // S3 answers 403 for a missing object when listing is not allowed: both mean the object is not there (now).
  if (status === 404 || status === 403 || status === 410) return { kind: 'gone', reason: said };
  return { kind: 'failed', error: { code: status, parameter: null, message: said } };
}
