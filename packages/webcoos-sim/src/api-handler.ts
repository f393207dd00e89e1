/**
 * The API server: `/webcoos/api/v1/…` answered the way a Django REST Framework service does — URL routing first
 * (unknown paths 404 without looking at the token), then token authentication (`Authorization: Token <token>`),
 * then the method check, then the throttle — plus injected faults, latency, the call log and the `/_sim/` control
 * endpoints.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { assetDocument, elementDocument, type DocumentContext } from './api-documents.js';
import { parseQueryTime } from './archive-time.js';
import type { CallLog, RecordedCall } from './call-log.js';
import { allServices, type CatalogueAsset, type CatalogueService } from './catalogue.js';
import { CONTROL_PREFIX, handleControl, type SimControl } from './control-endpoints.js';
import type { ElementArchive, SimElement } from './element-archive.js';
import { JSON_TYPE, resetConnection, writeStatusFault } from './fault-replies.js';
import type { FaultPlan } from './faults.js';
import { buildInventories, type InventoryColumn } from './inventory.js';
import type { ListingInsertions } from './listing-insertions.js';
import { paginate, type PageSizes } from './pagination.js';
import { throttledDetail, type RateLimiter } from './rate-limit.js';
import { isBodyFault, sendBody, type BodyFault } from './send-body.js';

export const API_PATH = '/webcoos/api/v1';

/** `starting` (oldest first) or `-starting` (newest first). */
export type ElementOrdering = 'starting' | '-starting';

/** Settings that may change while the simulator runs. */
export interface ApiLiveSettings {
  latencyMs: number;
  rateLimiter: RateLimiter | null;
}

export interface ApiDeps {
  catalogue: readonly CatalogueAsset[];
  archive: ElementArchive;
  log: CallLog;
  faults: FaultPlan;
  insertions: ListingInsertions;
  tokens: ReadonlySet<string>;
  assetPageSizes: PageSizes;
  elementPageSizes: PageSizes;
  inventoryColumns: readonly InventoryColumn[];
  /** Order of an elements listing without a valid `ordering` parameter. */
  defaultOrdering: ElementOrdering;
  live: () => ApiLiveSettings;
  documents: () => DocumentContext;
  onCall: ((call: RecordedCall) => void) | undefined;
  control: SimControl;
}

interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const json = (status: number, body: unknown, headers?: Record<string, string>): JsonAnswer => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});
const detail = (status: number, text: string, headers?: Record<string, string>) =>
  json(status, { detail: text }, headers);
const NOT_FOUND = (): JsonAnswer => detail(404, 'Not found.');

type Route =
  | { kind: 'root' }
  | { kind: 'assets' }
  | { kind: 'asset'; id: string }
  | { kind: 'inventory'; id: string }
  | { kind: 'elements' };

/** Routes with or without the trailing slash Django's router writes (the simulator does not redirect). */
function route(pathname: string): Route | null {
  if (pathname !== API_PATH && !pathname.startsWith(`${API_PATH}/`)) return null;
  const parts = pathname
    .slice(API_PATH.length)
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [first, second, third] = parts;
  if (parts.length === 0) return { kind: 'root' };
  if (parts.length === 1 && first === 'assets') return { kind: 'assets' };
  if (parts.length === 2 && first === 'assets' && second) return { kind: 'asset', id: second };
  if (parts.length === 3 && first === 'services' && second && third === 'inventory')
    return { kind: 'inventory', id: second };
  if (parts.length === 1 && first === 'elements') return { kind: 'elements' };
  return null;
}

/** Token authentication as DRF's TokenAuthentication reads the header (keyword case-insensitive). */
function authenticate(header: string | undefined, tokens: ReadonlySet<string>): JsonAnswer | null {
  const parts = (header ?? '')
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  // No header, or another scheme (Bearer, Basic …): DRF treats the request as anonymous.
  if (parts.length === 0 || parts[0]?.toLowerCase() !== 'token')
    return detail(401, 'Authentication credentials were not provided.', { 'WWW-Authenticate': 'Token' });
  if (parts.length === 1) return detail(403, 'Invalid token header. No credentials provided.');
  if (parts.length > 2) return detail(403, 'Invalid token header. Token string should not contain spaces.');
  if (!tokens.has(parts[1] ?? '')) return detail(403, 'Invalid token.');
  return null;
}

function findService(deps: ApiDeps, id: string): CatalogueService | null {
  return allServices(deps.catalogue).find((s) => s.slug === id || s.uuid === id) ?? null;
}

function endpointUrl(req: IncomingMessage, pathname: string): string {
  return `http://${req.headers.host ?? 'localhost'}${pathname}`;
}

function rootAnswer(req: IncomingMessage): JsonAnswer {
  const base = endpointUrl(req, API_PATH);
  return json(200, { assets: `${base}/assets/`, elements: `${base}/elements/`, services: `${base}/services/` });
}

function assetsAnswer(deps: ApiDeps, req: IncomingMessage, url: URL): JsonAnswer {
  const source = url.searchParams.get('source');
  const assets = deps.catalogue.filter((a) => source === null || source === '' || a.spec.source === source);
  const page = paginate(assets, url.searchParams, endpointUrl(req, url.pathname), deps.assetPageSizes);
  if (page.kind === 'invalid-page') return detail(404, 'Invalid page.');
  const ctx = deps.documents();
  return json(200, { results: page.results.map((a) => assetDocument(ctx, a)), pagination: page.pagination });
}

function assetAnswer(deps: ApiDeps, id: string): JsonAnswer {
  const asset = deps.catalogue.find((a) => a.spec.slug === id || a.uuid === id);
  return asset ? json(200, assetDocument(deps.documents(), asset)) : NOT_FOUND();
}

function inventoryAnswer(deps: ApiDeps, id: string): JsonAnswer {
  const service = findService(deps, id);
  if (!service) return NOT_FOUND();
  return json(200, { results: buildInventories(deps.archive, service, deps.inventoryColumns) });
}

function elementsAnswer(deps: ApiDeps, req: IncomingMessage, url: URL): JsonAnswer {
  const params = url.searchParams;
  const problems: Record<string, string[]> = {};
  const timeParam = (name: string): number | null => {
    const raw = params.get(name);
    if (raw === null || raw === '') return null;
    const ms = parseQueryTime(raw);
    if (ms === null) problems[name] = ['Enter a valid date/time.'];
    return ms;
  };
  const afterMs = timeParam('starting_after');
  const beforeMs = timeParam('starting_before');
  const serviceId = params.get('service');
  const service = serviceId === null || serviceId === '' ? null : findService(deps, serviceId);
  if (serviceId && !service)
    problems['service'] = ['Select a valid choice. That choice is not one of the available choices.'];
  if (Object.keys(problems).length > 0) return json(400, problems);

  const rawOrdering = params.get('ordering');
  const ordering: ElementOrdering =
    rawOrdering === 'starting' || rawOrdering === '-starting' ? rawOrdering : deps.defaultOrdering;
  const listed: SimElement[] = service
    ? deps.archive.list(service, afterMs, beforeMs)
    : allServices(deps.catalogue)
        .flatMap((s) => deps.archive.list(s, afterMs, beforeMs))
        .sort((a, b) => a.startingMs - b.startingMs || (a.uuid < b.uuid ? -1 : 1));
  if (ordering === '-starting') listed.reverse();

  const page = paginate(listed, params, endpointUrl(req, url.pathname), deps.elementPageSizes);
  if (page.kind === 'invalid-page') return detail(404, 'Invalid page.');
  const ctx = deps.documents();
  const body = { results: page.results.map((e) => elementDocument(ctx, e)), pagination: page.pagination };
  // The page is cut; anything inserted now shows from the next request on.
  if (service) deps.insertions.pageServed({ service, page: page.pagination.page, listed, afterMs, beforeMs });
  return json(200, body);
}

function answer(deps: ApiDeps, r: Route, req: IncomingMessage, url: URL): JsonAnswer {
  switch (r.kind) {
    case 'root':
      return rootAnswer(req);
    case 'assets':
      return assetsAnswer(deps, req, url);
    case 'asset':
      return assetAnswer(deps, r.id);
    case 'inventory':
      return inventoryAnswer(deps, r.id);
    case 'elements':
      return elementsAnswer(deps, req, url);
    default: {
      const never: never = r;
      throw new Error(`unknown route ${String(never)}`);
    }
  }
}

async function writeJson(
  res: ServerResponse,
  a: JsonAnswer,
  head: boolean,
  bodyFault: BodyFault | null,
  call: RecordedCall,
): Promise<void> {
  const body = Buffer.from(JSON.stringify(a.body), 'utf8');
  const headers = { 'Content-Type': JSON_TYPE, Vary: 'Accept', Allow: 'GET, HEAD, OPTIONS', ...a.headers };
  await sendBody(res, a.status, headers, [body], body.length, { head, fault: bodyFault, bytesPerSecond: 0, call });
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

async function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const query = firstValues(url.searchParams);
  const call = deps.log.begin({
    host: 'api',
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

  const fault = deps.faults.take({ host: 'api', method: call.method, path: decodedPath(url.pathname), query });
  if (fault) call.fault = fault.kind;
  if (fault?.kind === 'reset') return resetConnection(res);
  if (fault?.kind === 'status') return writeStatusFault(res, 'api', fault, { head, key: url.pathname, call });
  if (fault?.kind === 'delay') await sleep(fault.ms);
  const bodyFault = isBodyFault(fault) ? fault : null;
  const reply = (a: JsonAnswer) => writeJson(res, a, head, bodyFault, call);

  const r = route(url.pathname);
  if (!r) return reply(NOT_FOUND());
  const refused = authenticate(req.headers.authorization, deps.tokens);
  if (refused) return reply(refused);
  if (req.method === 'OPTIONS') return reply(json(200, { name: 'WebCOOS API', renders: [JSON_TYPE] }));
  if (req.method !== 'GET' && !head) return reply(detail(405, `Method "${req.method ?? ''}" not allowed.`));

  const { rateLimiter, latencyMs } = deps.live();
  const decision = rateLimiter?.check(Date.now()) ?? { allowed: true };
  if (!decision.allowed) {
    call.throttled = true;
    const headers: Record<string, string> =
      rateLimiter?.options.retryAfter === false ? {} : { 'Retry-After': String(decision.waitSeconds) };
    return reply(detail(429, throttledDetail(decision.waitSeconds), headers));
  }
  if (latencyMs > 0) await sleep(latencyMs);
  return reply(answer(deps, r, req, url));
}

export function createApiListener(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const handled = url.pathname.startsWith(CONTROL_PREFIX)
      ? handleControl(deps.control, req, res, url)
      : handleApi(deps, req, res, url);
    handled.catch((err: unknown) => {
      // A bug in the simulator: answer 500 as Django would, or drop the connection if the answer had begun.
      try {
        if (res.headersSent) throw err;
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
        res.end(`Server Error (500): ${err instanceof Error ? err.message : String(err)}`);
      } catch {
        res.destroy();
      }
    });
  };
}
