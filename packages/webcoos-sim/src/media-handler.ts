/**
 * The media host: a second server, standing in for the S3-style storage the element URLs point at. It serves every
 * element (and its thumbnails) by plain GET, with no authentication, Content-Length and Content-Type always, byte
 * ranges when range support is on, S3's XML errors otherwise — and records whether a client sent it an
 * Authorization header, which a client must not do (S3 refuses a header it does not understand).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallLog, RecordedCall } from './call-log.js';
import { elementCreatedMs, elementMediaObject, thumbnailMediaObject, type ElementArchive } from './element-archive.js';
import { XML_TYPE, resetConnection, s3ErrorXml, writeStatusFault } from './fault-replies.js';
import type { FaultPlan } from './faults.js';
import { parseRange } from './http-range.js';
import { mediaChunks, type MediaObject } from './media-content.js';
import { isBodyFault, sendBody, type BodyFault } from './send-body.js';

/** What the media host does with a request that carries an Authorization header. */
export type MediaAuthorizationPolicy = 'reject' | 'ignore';

export interface MediaLiveSettings {
  /** Honour Range (206) or always send the whole file (200, no Accept-Ranges). */
  rangeSupport: boolean;
  /** Speed limit per download in bytes per second; 0 for none. */
  bytesPerSecond: number;
  authorization: MediaAuthorizationPolicy;
}

export interface MediaDeps {
  archive: ElementArchive;
  log: CallLog;
  faults: FaultPlan;
  live: () => MediaLiveSettings;
  onCall: ((call: RecordedCall) => void) | undefined;
}

/** The object a media key names (an element or one of its thumbnails), with its Last-Modified instant. */
export function resolveMediaKey(
  archive: ElementArchive,
  key: string,
): { object: MediaObject; modifiedMs: number } | null {
  const element = archive.findByKey(key);
  if (element) return { object: elementMediaObject(element), modifiedMs: elementCreatedMs(element) };
  const thumbnail = archive.findThumbnail(key);
  if (thumbnail)
    return {
      object: thumbnailMediaObject(thumbnail.element, thumbnail.variant),
      modifiedMs: elementCreatedMs(thumbnail.element),
    };
  return null;
}

/** A strong ETag that depends on the content's seed and size only, so it is cheap and stable across restarts. */
const etagOf = (obj: MediaObject): string =>
  `"${createHash('md5').update(`${obj.seed}\u0000${obj.sizeBytes}\u0000${obj.mimeType}`).digest('hex')}"`;

function decodeKey(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.replace(/^\/+/, ''));
  } catch {
    return null;
  }
}

async function writeXmlError(
  res: ServerResponse,
  status: number,
  message: string,
  key: string,
  options: { head: boolean; fault: BodyFault | null; call: RecordedCall; headers?: Record<string, string> },
): Promise<void> {
  const body = Buffer.from(s3ErrorXml(status, message, key), 'utf8');
  await sendBody(res, status, { 'Content-Type': XML_TYPE, ...options.headers }, [body], body.length, {
    head: options.head,
    fault: options.fault,
    bytesPerSecond: 0,
    call: options.call,
  });
}

async function handleMedia(deps: MediaDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://media.invalid');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!Object.hasOwn(query, k)) query[k] = v;
  const call = deps.log.begin({
    host: 'media',
    method: req.method ?? 'GET',
    path: url.pathname,
    query,
    url: req.url ?? '/',
    authorizationSent: req.headers.authorization !== undefined,
    range: req.headers.range ?? null,
  });
  res.on('close', () => {
    call.status = res.headersSent ? res.statusCode : null;
    call.completed = res.writableFinished;
    deps.log.end(call);
    deps.onCall?.(call);
  });
  const head = req.method === 'HEAD';
  const key = decodeKey(url.pathname);

  const fault = deps.faults.take({ host: 'media', method: call.method, path: key ?? url.pathname, query });
  if (fault) call.fault = fault.kind;
  if (fault?.kind === 'reset') return resetConnection(res);
  if (fault?.kind === 'status') return writeStatusFault(res, 'media', fault, { head, key: key ?? '', call });
  if (fault?.kind === 'delay') await sleep(fault.ms);
  const bodyFault = isBodyFault(fault) ? fault : null;
  const error = (status: number, message: string, headers?: Record<string, string>) =>
    writeXmlError(res, status, message, key ?? '', { head, fault: bodyFault, call, ...(headers ? { headers } : {}) });

  if (req.method !== 'GET' && !head)
    return error(405, 'The specified method is not allowed against this resource.', { Allow: 'GET, HEAD' });
  const live = deps.live();
  if (req.headers.authorization !== undefined && live.authorization === 'reject')
    return error(400, 'Unsupported Authorization Type');
  const found = key === null ? null : resolveMediaKey(deps.archive, key);
  if (!found) return error(404, 'The specified key does not exist.');

  const { object, modifiedMs } = found;
  const size = object.sizeBytes;
  const etag = etagOf(object);
  const lastModified = new Date(modifiedMs).toUTCString();
  // If-Range: resume only if the file is the one the client started on; otherwise send it whole.
  const ifRange = req.headers['if-range'];
  const rangeValid = ifRange === undefined || ifRange === etag || ifRange === lastModified;
  const range = live.rangeSupport && rangeValid ? parseRange(req.headers.range, size) : ({ kind: 'whole' } as const);
  const headers: Record<string, string> = {
    'Content-Type': object.mimeType,
    ETag: etag,
    'Last-Modified': lastModified,
  };
  if (live.rangeSupport) headers['Accept-Ranges'] = 'bytes';
  if (range.kind === 'unsatisfiable')
    return error(416, 'The requested range is not satisfiable', { 'Content-Range': `bytes */${size}` });
  const start = range.kind === 'part' ? range.start : 0;
  const end = range.kind === 'part' ? range.end : size;
  if (range.kind === 'part') headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
  return sendBody(res, range.kind === 'part' ? 206 : 200, headers, mediaChunks(object, start, end), end - start, {
    head,
    fault: bodyFault,
    bytesPerSecond: live.bytesPerSecond,
    call,
  });
}

export function createMediaListener(deps: MediaDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handleMedia(deps, req, res).catch((err: unknown) => {
      try {
        if (res.headersSent) throw err;
        res.writeHead(500, { 'Content-Type': XML_TYPE, Connection: 'close' });
        res.end(s3ErrorXml(500, err instanceof Error ? err.message : String(err), ''));
      } catch {
        res.destroy();
      }
    });
  };
}
