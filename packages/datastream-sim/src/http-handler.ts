/**
 * The HTTP face of the simulator. For each request to `/v1/odata/v4/<Resource>`, in this order:
 *   1. path and method (404, 405);
 *   2. URL encoding of the raw query (400 `{"message":null}`, see raw-query-encoding.ts);
 *   3. the `x-api-key` header (401 when missing, 403 when not accepted);
 *   4. the politeness limit, per key (429 with Retry-After, or 403 with legacy403);
 *   5. latency, then the query options (400 with a message naming the problem);
 *   6. injected faults; then the load thresholds (504/408, 413);
 *   7. the answer: a page with its next link, or a count.
 * `/_sim/…` goes to the control endpoints, unlimited and unrecorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CallLog, RecordedCall, Refusal } from './call-log.js';
import { CONTROL_PREFIX, handleControl, type SimControl } from './control-endpoints.js';
import { estimateCount } from './count-estimate.js';
import type { FaultPlan } from './faults.js';
import { linkHeader, nextLink } from './next-link.js';
import type { QueryEngine } from './query-engine.js';
import { QueryError, parseQueryOptions, type QueryOptions } from './query-options.js';
import type { RateLimiter } from './rate-limiter.js';
import { findUnencoded } from './raw-query-encoding.js';
import { sendJson } from './reply.js';
import { API_BASE_PATH, isResource, type Resource } from './resources.js';
import type { ServiceSettings } from './service-settings.js';

export interface HandlerDeps {
  engine: QueryEngine;
  settings: () => ServiceSettings;
  apiKeys: () => ReadonlySet<string>;
  limiter: RateLimiter;
  faults: FaultPlan;
  log: CallLog;
  onCall: ((call: RecordedCall) => void) | undefined;
  control: SimControl;
  /** Numbers the calls that reach the fault stage, 1, 2, 3 … (FaultCall.serial). */
  nextFaultSerial: () => number;
}

/** The body DataStream sends for a query string that was not URL-encoded. */
export const NOT_ENCODED_BODY = '{"message":null}';

const message = (text: string | null): string => JSON.stringify({ message: text });

interface Target {
  path: string;
  rawQuery: string;
}

function splitTarget(target: string): Target {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, rawQuery: '' } : { path: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

function resourceOf(path: string): Resource | null {
  const prefix = `${API_BASE_PATH}/`;
  if (!path.startsWith(prefix)) return null;
  const name = path.slice(prefix.length);
  return isResource(name) ? name : null;
}

/** Query parameters, first value of each name. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

export function createRequestListener(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const target = splitTarget(req.url ?? '/');
    const handled = target.path.startsWith(CONTROL_PREFIX)
      ? handleControl(deps.control, req, res, target)
      : handleApi(deps, req, res, target);
    handled.catch((err: unknown) => {
      // A bug in the simulator: answer 500 if nothing was sent yet, else drop the connection.
      try {
        if (res.headersSent) throw err;
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
        res.end(message(`simulator error: ${err instanceof Error ? err.message : String(err)}`));
      } catch {
        res.destroy();
      }
    });
  };
}

/**
 * A request Node's HTTP parser refused — above all a request line with a raw space in its query
 * (`GET /v1/odata/v4/Locations?$filter=DOI eq '…' HTTP/1.1`). Answered like any other unencoded query.
 */
export function createClientErrorListener(deps: HandlerDeps): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    if (!err.code?.startsWith('HPE_') || !socket.writable) {
      socket.destroy();
      return;
    }
    const raw = (err as { rawPacket?: Buffer }).rawPacket?.toString('latin1') ?? '';
    const line = /^(\S+) (.*?)(?: HTTP\/\d\.\d)?\r?\n/.exec(raw);
    const target = splitTarget(line?.[2] ?? '');
    const call = deps.log.begin({
      method: line?.[1] ?? '',
      path: target.path,
      resource: resourceOf(target.path),
      query: {},
      rawQuery: target.rawQuery,
      startedAt: Date.now(),
      apiKeySent: /\r?\nx-api-key:/i.test(raw),
    });
    call.refusal = 'not-url-encoded';
    call.status = 400;
    call.bytesSent = NOT_ENCODED_BODY.length;
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${NOT_ENCODED_BODY.length}\r\nConnection: close\r\n\r\n${NOT_ENCODED_BODY}`,
      () => {
        call.completed = true;
        deps.log.end(call, Date.now());
        deps.onCall?.(call);
      },
    );
  };
}

async function handleApi(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, target: Target): Promise<void> {
  const resource = resourceOf(target.path);
  const keyHeader = req.headers['x-api-key'];
  const call = deps.log.begin({
    method: req.method ?? 'GET',
    path: target.path,
    resource,
    query: firstValues(new URLSearchParams(target.rawQuery)),
    rawQuery: target.rawQuery,
    startedAt: Date.now(),
    apiKeySent: keyHeader !== undefined,
  });
  res.on('close', () => {
    call.status = res.headersSent ? res.statusCode : null;
    call.completed = res.writableFinished;
    call.reset = !res.writableFinished;
    deps.log.end(call, Date.now());
    deps.onCall?.(call);
  });
  const settings = deps.settings();
  const refuse = (status: number, refusal: Refusal, body: string, headers: Record<string, string> = {}) => {
    call.refusal = refusal;
    return sendJson(req, res, call, status, body, { compression: false, headers });
  };

  if (!resource) return refuse(404, 'not-found', message('Not Found'));
  if (req.method !== 'GET') return refuse(405, 'method', message('Method Not Allowed'), { Allow: 'GET' });
  if (findUnencoded(target.rawQuery)) return refuse(400, 'not-url-encoded', NOT_ENCODED_BODY);

  const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
  if (key === undefined || key === '') return refuse(401, 'no-api-key', message('Unauthorized'));
  if (!deps.apiKeys().has(key)) return refuse(403, 'invalid-api-key', message('Forbidden'));

  const limit = settings.rateLimit;
  if (limit) {
    const admission = deps.limiter.admit(key, performance.now(), limit);
    if (!admission.admitted) {
      const refusal = admission.reason === 'rate' ? 'rate-limit' : 'parallel';
      if (limit.legacy403) return refuse(403, refusal, message('Forbidden'));
      const headers: Record<string, string> = limit.retryAfter
        ? { 'Retry-After': String(admission.retryAfterSeconds) }
        : {};
      return refuse(429, refusal, message('Too Many Requests'), headers);
    }
    res.once('finish', admission.release);
    res.once('close', admission.release);
  }

  if (settings.latencyMs > 0) await sleep(settings.latencyMs);

  let options: QueryOptions;
  try {
    options = parseQueryOptions(new URLSearchParams(target.rawQuery), resource);
  } catch (err) {
    if (err instanceof QueryError) return refuse(400, 'bad-query', message(err.message));
    throw err;
  }

  let resetAfterBytes: number | 'half' | null = null;
  const fault = deps.faults.take({ resource, query: call.query, serial: deps.nextFaultSerial() });
  if (fault) {
    call.fault = fault.kind;
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
        const body = fault.body === undefined ? { message: STATUS_CODES[fault.status] ?? null } : fault.body;
        return sendJson(req, res, call, fault.status, JSON.stringify(body), { compression: false, headers });
      }
      case 'reset':
        res.socket?.destroy();
        res.destroy();
        return;
      case 'delay':
        await sleep(fault.ms);
        break;
      case 'resetMidBody':
        resetAfterBytes = fault.afterBytes ?? 'half';
        break;
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
  }

  const thresholds = settings.thresholdResources.includes(resource) && !options.count;
  if (thresholds && settings.timeoutAboveTop !== null && options.top > settings.timeoutAboveTop) {
    if (settings.timeoutDelayMs > 0) await sleep(settings.timeoutDelayMs);
    const text = settings.timeoutStatus === 504 ? 'Endpoint request timed out' : 'Request Timeout';
    return refuse(settings.timeoutStatus, 'timeout-threshold', message(text));
  }
  if (thresholds && settings.tooLargeAboveTop !== null && options.top > settings.tooLargeAboveTop)
    return refuse(413, 'too-large-threshold', message('Payload Too Large'));

  let json: string;
  const headers: Record<string, string> = {};
  if (options.count) {
    const exact = deps.engine.count(resource, options.filter);
    const limitForEstimate = settings.countEstimateAbove;
    const count =
      limitForEstimate !== null && exact > limitForEstimate ? estimateCount(exact, options.filterText) : exact;
    // The JS client's README shows the count as a string; the Python and R clients read it from `value`.
    json = JSON.stringify({ value: String(count) });
  } else {
    const page = deps.engine.page(resource, {
      filter: options.filter,
      select: options.select,
      top: options.top,
      afterId: options.afterId,
      omitNulls: settings.omitNulls,
    });
    call.rows = page.rows.length;
    const body: Record<string, unknown> = { value: page.rows };
    if (page.hasMore && page.lastId !== null) {
      const origin = settings.nextLinkOrigin ?? `http://${req.headers.host ?? 'localhost'}`;
      const link = nextLink(origin, resource, options, page.lastId);
      if (settings.nextLinkIn !== 'header') body['@odata.nextLink'] = link;
      if (settings.nextLinkIn !== 'body') headers['Link'] = linkHeader(link);
    }
    json = JSON.stringify(body);
    if (thresholds && settings.tooLargeAboveBytes !== null && Buffer.byteLength(json) > settings.tooLargeAboveBytes) {
      call.rows = 0;
      return refuse(413, 'too-large-threshold', message('Payload Too Large'));
    }
  }
  return sendJson(req, res, call, 200, json, { compression: settings.compression, headers, resetAfterBytes });
}
