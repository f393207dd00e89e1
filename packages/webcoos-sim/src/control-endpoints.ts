/**
 * `/_sim/…` on the API server: the simulator's own endpoints, for a test driving a simulator in another process
 * (the `webcoos-sim` command). Not part of WebCOOS; calls to them are not recorded and need no token.
 *
 *   GET    /_sim/calls[?host=api|media]   recorded calls               DELETE /_sim/calls   forget them
 *   GET    /_sim/stats                    peaks per host
 *   GET    /_sim/services                 every service: slug, uuid, asset, product, type
 *   GET    /_sim/elements?service=&from=&to=[&sha256=false]   ground truth of a window (from inclusive, to exclusive)
 *   GET    /_sim/media-sha256?url=        sha256 of what the media host serves at a URL (404 when nothing)
 *   POST   /_sim/config                   JSON SimConfigPatch
 *   POST   /_sim/faults                   JSON fault rule (`pathPattern` for a RegExp; `times` may be "Infinity")
 *   DELETE /_sim/faults                   withdraw every fault rule
 *   POST   /_sim/elements                 JSON {service, starting: [instants]}: insert elements now
 *   POST   /_sim/insert-after-page        JSON InsertAfterPageRule   DELETE: withdraw every such rule
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedCall, SimHost, SimStats } from './call-log.js';
import { FAULT_KINDS, type FaultAction, type FaultHandle, type FaultRule } from './faults.js';
import type { InsertAfterPageRule } from './listing-insertions.js';
import type { SimConfigPatch } from './sim-config.js';

export const CONTROL_PREFIX = '/_sim/';

/** What the control endpoints need from the simulator. */
export interface SimControl {
  calls(host?: SimHost): RecordedCall[];
  clearCalls(): void;
  stats(): SimStats;
  services(): unknown;
  elements(service: string, from?: string, to?: string, options?: { sha256?: boolean }): unknown;
  mediaSha256(url: string): string | null;
  configure(patch: SimConfigPatch): void;
  injectFault(rule: FaultRule): FaultHandle;
  clearFaults(): void;
  insertElements(service: string, startings: readonly string[]): unknown;
  insertAfterPage(rule: InsertAfterPageRule): { remaining(): number };
  clearInsertions(): void;
}

const MAX_BODY = 64 * 1024;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY) throw new ControlError(413, 'body too large');
    parts.push(part);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown;
  } catch {
    throw new ControlError(400, 'body must be JSON');
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const timesOf = (value: unknown): number | undefined => {
  const times = value === 'Infinity' ? Infinity : value;
  if (times !== undefined && typeof times !== 'number')
    throw new ControlError(400, 'times must be a number or "Infinity"');
  return times;
};

function faultRuleFrom(body: unknown): FaultRule {
  if (!isObject(body) || !isObject(body['action'])) throw new ControlError(400, 'a fault rule needs an action object');
  const action = body['action'];
  if (!FAULT_KINDS.includes(action['kind'] as FaultAction['kind']))
    throw new ControlError(400, `action.kind must be one of ${FAULT_KINDS.join(', ')}`);
  const { host, path, pathPattern, query, nth } = body;
  if (host !== undefined && host !== 'api' && host !== 'media')
    throw new ControlError(400, 'host must be api or media');
  if (path !== undefined && typeof path !== 'string') throw new ControlError(400, 'path must be a string');
  if (pathPattern !== undefined && typeof pathPattern !== 'string')
    throw new ControlError(400, 'pathPattern must be a regular expression as a string');
  if (path !== undefined && pathPattern !== undefined)
    throw new ControlError(400, 'give path or pathPattern, not both');
  if (query !== undefined && !(isObject(query) && Object.values(query).every((v) => typeof v === 'string')))
    throw new ControlError(400, 'query must map parameter names to strings');
  if (nth !== undefined && typeof nth !== 'number') throw new ControlError(400, 'nth must be a number');
  let pattern: RegExp | undefined;
  try {
    pattern = pathPattern === undefined ? undefined : new RegExp(pathPattern);
  } catch {
    throw new ControlError(400, 'pathPattern is not a valid regular expression');
  }
  const times = timesOf(body['times']);
  const rule: FaultRule = { action: action as unknown as FaultAction };
  if (host !== undefined) rule.host = host;
  if (path !== undefined) rule.path = path;
  if (pattern !== undefined) rule.path = pattern;
  if (query !== undefined) rule.query = query as Record<string, string>;
  if (nth !== undefined) rule.nth = nth;
  if (times !== undefined) rule.times = times;
  return rule;
}

function configPatchFrom(body: unknown): SimConfigPatch {
  if (!isObject(body)) throw new ControlError(400, 'config must be a JSON object');
  const known = ['latencyMs', 'rateLimit', 'rangeSupport', 'mediaBytesPerSecond', 'mediaAuthorization'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new ControlError(400, `unknown config fields: ${unknown.join(', ')}`);
  // The other fields' values are checked by the simulator's own validation of the patch.
  const { latencyMs, rateLimit, mediaBytesPerSecond } = body;
  if (latencyMs !== undefined && typeof latencyMs !== 'number')
    throw new ControlError(400, 'latencyMs must be a number');
  if (
    rateLimit !== undefined &&
    rateLimit !== null &&
    !(isObject(rateLimit) && typeof rateLimit['perSecond'] === 'number')
  )
    throw new ControlError(400, 'rateLimit must be null or {perSecond, retryAfter?}');
  if (mediaBytesPerSecond !== undefined && typeof mediaBytesPerSecond !== 'number')
    throw new ControlError(400, 'mediaBytesPerSecond must be a number');
  return body;
}

function insertRuleFrom(body: unknown): InsertAfterPageRule {
  if (!isObject(body) || typeof body['afterPage'] !== 'number')
    throw new ControlError(400, 'an insertion rule needs a numeric afterPage');
  const { service, afterPage, count } = body;
  if (service !== undefined && typeof service !== 'string') throw new ControlError(400, 'service must be a string');
  if (count !== undefined && typeof count !== 'number') throw new ControlError(400, 'count must be a number');
  const times = timesOf(body['times']);
  const rule: InsertAfterPageRule = { afterPage };
  if (service !== undefined) rule.service = service;
  if (count !== undefined) rule.count = count;
  if (times !== undefined) rule.times = times;
  return rule;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v));
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(text);
}

const optional = (params: URLSearchParams, name: string): string | undefined => params.get(name) ?? undefined;

export async function handleControl(
  control: SimControl,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  const verb = req.method ?? 'GET';
  const params = url.searchParams;
  try {
    if (path === 'calls' && verb === 'GET') {
      const host = params.get('host');
      if (host !== null && host !== 'api' && host !== 'media') throw new ControlError(400, 'host must be api or media');
      return send(res, 200, control.calls(host ?? undefined));
    }
    if (path === 'calls' && verb === 'DELETE') return (control.clearCalls(), send(res, 204));
    if (path === 'stats' && verb === 'GET') return send(res, 200, control.stats());
    if (path === 'services' && verb === 'GET') return send(res, 200, control.services());
    if (path === 'elements' && verb === 'GET') {
      const service = params.get('service');
      if (!service) throw new ControlError(400, 'service is required');
      const sha256 = params.get('sha256') !== 'false';
      return send(res, 200, control.elements(service, optional(params, 'from'), optional(params, 'to'), { sha256 }));
    }
    if (path === 'elements' && verb === 'POST') {
      const body = await readJson(req);
      const starting: unknown = isObject(body) ? body['starting'] : undefined;
      const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
      if (!isObject(body) || typeof body['service'] !== 'string' || !isStrings(starting))
        throw new ControlError(400, 'body must be {service, starting: [ISO instants]}');
      return send(res, 201, control.insertElements(body['service'], starting));
    }
    if (path === 'media-sha256' && verb === 'GET') {
      const target = params.get('url');
      if (!target) throw new ControlError(400, 'url is required');
      const sha256 = control.mediaSha256(target);
      return sha256 === null ? send(res, 404, { message: 'no such file' }) : send(res, 200, { sha256 });
    }
    if (path === 'config' && verb === 'POST') {
      control.configure(configPatchFrom(await readJson(req)));
      return send(res, 204);
    }
    if (path === 'faults' && verb === 'POST') {
      const handle = control.injectFault(faultRuleFrom(await readJson(req)));
      return send(res, 201, { remaining: handle.remaining() });
    }
    if (path === 'faults' && verb === 'DELETE') return (control.clearFaults(), send(res, 204));
    if (path === 'insert-after-page' && verb === 'POST') {
      const handle = control.insertAfterPage(insertRuleFrom(await readJson(req)));
      return send(res, 201, { remaining: handle.remaining() });
    }
    if (path === 'insert-after-page' && verb === 'DELETE') return (control.clearInsertions(), send(res, 204));
    return send(res, 404, { message: `no control endpoint ${verb} ${url.pathname}` });
  } catch (err) {
    if (err instanceof ControlError) return send(res, err.status, { message: err.message });
    return send(res, 400, { message: err instanceof Error ? err.message : String(err) });
  }
}
