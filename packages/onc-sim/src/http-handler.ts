/**
 * The HTTP face of the simulator: routes dataProductDelivery (both URL forms), archivefile (both URL forms), the
 * discovery services and the `/_sim/` control endpoints; checks the token and parameters, applies latency and
 * faults, records the call, and writes the method's reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArchiveFiles } from './archive/archive-files.js';
import { prepareArchiveMethod } from './archive/archive-methods.js';
import type { ArchiveOptions } from './archive/archive-options.js';
import type { Behaviour } from './behaviour.js';
import { REDACTED, redactUrl, type CallLog, type RecordedCall } from './call-log.js';
import type { Catalogue } from './catalogue.js';
import type { Chaos } from './chaos.js';
import type { Clock } from './clock.js';
import { CONTROL_PREFIX, handleControl, type SimControl } from './control-endpoints.js';
import type { FaultAction, FaultCall, FaultPlan } from './faults.js';
import { prepareDiscoveryMethod } from './discovery/discovery-methods.js';
import type { DiscoveryOptions } from './discovery/discovery-options.js';
import { dispatchMethod } from './methods/dispatch.js';
import { goneReply, notOnFtpYetReply } from './methods/download.js';
import {
  LEGACY_ARCHIVE_METHODS,
  REQUIRED_PARAMETERS,
  acceptsParameter,
  isArchiveMethod,
  isDiscoveryMethod,
  isOncMethod,
  type ArchiveMethod,
  type DiscoveryMethod,
  type SimService,
} from './methods/method-names.js';
import { oncError, type OncErrorEntry } from './onc-errors.js';
import { errorReply, type FileDelivery, type PlainReply } from './reply.js';
import type { Prepared, ServiceContext } from './service-context.js';
import { sendFile } from './send-file.js';
import type { SimState } from './sim-state.js';

export const SERVICE_PATH = '/api/dataProductDelivery';
/** The archivefile service's path form (`/api/archivefile/location` …). */
export const ARCHIVE_PATH = '/api/archivefile';
/** The archivefile service's older query form (`/api/archivefiles?method=getListByLocation` …). */
export const LEGACY_ARCHIVE_PATH = '/api/archivefiles';
const API_PREFIX = '/api/';

export interface HandlerDeps {
  state: SimState;
  catalogue: Catalogue;
  clock: Clock;
  faults: FaultPlan;
  /** The current seeded random faults, if any. */
  chaos: () => Chaos | null;
  /** The current delay before every service answer, in ms. */
  latencyMs: () => number;
  log: CallLog;
  /** Accepted tokens; null accepts any non-empty token. */
  tokens: ReadonlySet<string> | null;
  behaviourFor: (
    filters: Readonly<Record<string, string>>,
    productBehaviour: Partial<Behaviour> | undefined,
  ) => Behaviour;
  onCall: ((call: RecordedCall) => void) | undefined;
  /** Responses that are stalled on purpose; the simulator destroys them on close. */
  stalled: Set<ServerResponse>;
  control: SimControl;
  /** The archive's files. */
  archiveFiles: ArchiveFiles;
  /** The current archive and discovery options. */
  archiveOptions: () => ArchiveOptions;
  discoveryOptions: () => DiscoveryOptions;
  /** How archive downloads are sent (names, ranges, speed), from the simulator-wide behaviour. */
  archiveDelivery: () => FileDelivery;
}

type Route = { service: SimService; form: 'query' | 'path'; method: string | null } | null;

function route(pathname: string, params: URLSearchParams): Route {
  if (pathname === SERVICE_PATH || pathname === `${SERVICE_PATH}/`)
    return { service: 'dataProductDelivery', form: 'query', method: params.get('method') };
  if (pathname.startsWith(`${SERVICE_PATH}/`)) {
    const rest = pathname.slice(SERVICE_PATH.length + 1);
    if (rest.length > 0 && !rest.includes('/')) return { service: 'dataProductDelivery', form: 'path', method: rest };
  }
  if (pathname === LEGACY_ARCHIVE_PATH || pathname === `${LEGACY_ARCHIVE_PATH}/`) {
    const named = params.get('method');
    return { service: 'archivefile', form: 'query', method: (named && LEGACY_ARCHIVE_METHODS[named]) || named };
  }
  const name = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : '';
  if (isArchiveMethod(name)) return { service: 'archivefile', form: 'path', method: name };
  if (isDiscoveryMethod(name)) return { service: 'discovery', form: 'path', method: name };
  return null;
}

export function createRequestListener(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const handled = url.pathname.startsWith(CONTROL_PREFIX)
      ? handleControl(deps.control, req, res, url)
      : handleService(deps, req, res, url);
    handled.catch((err: unknown) => {
      // A bug in the simulator: answer 500 like an unhandled exception in ONC, or drop the connection.
      try {
        if (res.headersSent) throw err;
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
        res.end(`Internal Server Error: ${err instanceof Error ? err.message : String(err)}`);
      } catch {
        res.destroy();
      }
    });
  };
}

/** Parameters as ONC reads them: the first value of each name. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

function beginCall(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
  r: Route,
) {
  const redacted = { ...params };
  if ('token' in redacted) redacted['token'] = REDACTED;
  const call = deps.log.begin({
    at: deps.clock.now(),
    httpMethod: req.method ?? 'GET',
    service: r?.service ?? null,
    urlForm: r?.form ?? null,
    method: r?.method ?? null,
    params: redacted,
    url: redactUrl(req.url ?? '/'),
  });
  // The answer's last byte left when it finished; `close` can come a moment later on a busy event loop.
  res.on('finish', () => {
    call.endedAt = deps.clock.now();
  });
  res.on('close', () => {
    call.endedAt ??= deps.clock.now();
    call.status = res.headersSent ? res.statusCode : null;
    call.completed = res.writableFinished;
    deps.log.end(call);
    deps.onCall?.(call);
  });
  return call;
}

async function handleService(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const params = firstValues(url.searchParams);
  const r = route(url.pathname, url.searchParams);
  const call = beginCall(deps, req, res, params, r);
  const latency = deps.latencyMs();
  if (latency > 0) await sleep(latency);

  const reject = (reply: PlainReply) => writeReply(res, reply, req, call);
  if (!r) return reject({ kind: 'json', status: 404, body: { message: 'Not Found' } });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reject({ kind: 'json', status: 405, body: { message: 'Method Not Allowed' } });
  }
  if (r.service !== 'dataProductDelivery') return handleArchiveOrDiscovery(deps, req, res, url, r, call);
  const method = r.method;
  if (method === null || method === '') return reject(errorReply(400, oncError.missing('method')));
  if (!isOncMethod(method)) {
    if (r.form === 'path') return reject({ kind: 'json', status: 404, body: { message: 'Not Found' } });
    return reject(errorReply(400, oncError.invalidValue('method')));
  }

  const token = params['token'];
  if (token === undefined || token === '') return reject(errorReply(401, oncError.missing('token')));
  if (deps.tokens && !deps.tokens.has(token)) return reject(errorReply(401, oncError.invalidValue('token')));

  const problems: OncErrorEntry[] = Object.keys(params)
    .filter((name) => !acceptsParameter(method, name))
    .map((name) => oncError.unknownParameter(name));
  for (const name of REQUIRED_PARAMETERS[method])
    if ((params[name] ?? '') === '') problems.push(oncError.missing(name));
  if (problems.length > 0) return reject(errorReply(400, ...problems));

  const faultCall: FaultCall = { method, params };
  const chaos = deps.chaos();
  const randomFault = chaos?.beforeCall() ?? null;
  const before = deps.faults.take(faultCall, 'before') ?? randomFault;
  if (before) {
    call.fault = before.kind;
    if (before.kind === 'delay') await sleep(before.ms);
    else return writeFault(res, before);
  }

  const reply = dispatchMethod(method, {
    state: deps.state,
    catalogue: deps.catalogue,
    token,
    params,
    now: deps.clock.now(),
    behaviourFor: deps.behaviourFor,
    serviceUrl: `http://${req.headers.host ?? 'localhost'}${SERVICE_PATH}`,
  });
  if (reply.kind !== 'file') return writeReply(res, reply, req, call);

  const randomFileFault = chaos?.beforeFile() ?? null;
  const fileFault = deps.faults.take(faultCall, 'file') ?? randomFileFault;
  if (fileFault) call.fault = fileFault.kind;
  if (fileFault?.kind === 'notReadyAfterComplete') return writeReply(res, notOnFtpYetReply(reply.file), req, call);
  if (fileFault?.kind === 'goneBeforeReady') return writeReply(res, goneReply(), req, call);
  if (fileFault && fileFault.kind !== 'truncate' && fileFault.kind !== 'stall')
    throw new Error(`fault ${fileFault.kind} does not apply to a file`);
  return sendFile(res, reply, {
    head: req.method === 'HEAD',
    rangeHeader: req.headers.range,
    fault: fileFault,
    stalled: deps.stalled,
    call,
  });
}

/**
 * An archivefile or discovery call, past routing and the verb check: the older archive form's method, the token,
 * the method's own validation (every problem in one 400), faults, then the answer.
 */
async function handleArchiveOrDiscovery(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  r: NonNullable<Route>,
  call: RecordedCall,
): Promise<void> {
  const reject = (reply: PlainReply) => writeReply(res, reply, req, call);
  const params = firstValues(url.searchParams);
  const method = r.method;
  if (method === null || method === '') return reject(errorReply(400, oncError.missing('method')));
  const archive = isArchiveMethod(method) ? method : null;
  const discovery = isDiscoveryMethod(method) ? method : null;
  if (!archive && !discovery) return reject(errorReply(400, oncError.invalidValue('method')));

  const token = params['token'];
  if (token === undefined || token === '') return reject(errorReply(401, oncError.missing('token')));
  if (deps.tokens && !deps.tokens.has(token)) return reject(errorReply(401, oncError.invalidValue('token')));

  const ctx: ServiceContext = {
    catalogue: deps.catalogue,
    archiveFiles: deps.archiveFiles,
    archiveOptions: deps.archiveOptions(),
    discoveryOptions: deps.discoveryOptions(),
    params,
    now: deps.clock.now(),
    siteUrl: `http://${req.headers.host ?? 'localhost'}/`,
    path: url.pathname,
    fileDelivery: deps.archiveDelivery(),
  };
  const prepared: Prepared = archive
    ? prepareArchiveMethod(archive, ctx)
    : prepareDiscoveryMethod(discovery as DiscoveryMethod, ctx);
  if (!prepared.ok) {
    if (prepared.reply.kind === 'file') throw new Error('a refusal is never a file');
    return writeReply(res, prepared.reply, req, call);
  }

  const faultCall: FaultCall = { method: (archive ?? discovery) as ArchiveMethod | DiscoveryMethod, params };
  const chaos = deps.chaos();
  const randomFault = chaos?.beforeCall() ?? null;
  const before = deps.faults.take(faultCall, 'before') ?? randomFault;
  if (before) {
    call.fault = before.kind;
    if (before.kind === 'delay') await sleep(before.ms);
    else return writeFault(res, before);
  }

  const reply = prepared.answer();
  if (reply.kind !== 'file') return writeReply(res, reply, req, call);
  // Only breaking or hanging the body applies to an archive file; the FTP server's 202/410 are delivery's.
  const bodyFault = (kind: FaultAction['kind']) => kind === 'truncate' || kind === 'stall';
  const randomFileFault = chaos?.beforeArchiveFile() ?? null;
  const fileFault = deps.faults.take(faultCall, 'file', bodyFault) ?? randomFileFault;
  if (fileFault && fileFault.kind !== 'truncate' && fileFault.kind !== 'stall')
    throw new Error(`fault ${fileFault.kind} does not apply to an archive file`);
  if (fileFault) call.fault = fileFault.kind;
  return sendFile(res, reply, {
    head: req.method === 'HEAD',
    rangeHeader: req.headers.range,
    fault: fileFault,
    stalled: deps.stalled,
    call,
  });
}

function writeFault(res: ServerResponse, action: FaultAction): void {
  switch (action.kind) {
    case 'reset':
      res.socket?.destroy();
      res.destroy();
      return;
    case 'status': {
      const headers: Record<string, string> = { ...action.headers };
      if (action.body === undefined) {
        res.writeHead(action.status, headers);
        res.end();
      } else {
        res.writeHead(action.status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
        res.end(JSON.stringify(action.body));
      }
      return;
    }
    case 'delay':
    case 'truncate':
    case 'stall':
    case 'notReadyAfterComplete':
    case 'goneBeforeReady':
      throw new Error(`fault ${action.kind} is not written directly`);
    default: {
      const never: never = action;
      throw new Error(`unknown fault ${String(never)}`);
    }
  }
}

/** Writes a JSON or empty reply (files go through sendFile). */
function writeReply(res: ServerResponse, reply: PlainReply, req: IncomingMessage, call: RecordedCall): void {
  const head = req.method === 'HEAD';
  switch (reply.kind) {
    case 'json': {
      const body = Buffer.from(JSON.stringify(reply.body), 'utf8');
      res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': body.length });
      if (!head) call.bodyBytes = body.length;
      res.end(head ? undefined : body);
      return;
    }
    case 'empty':
      res.writeHead(reply.status);
      res.end();
      return;
    default: {
      const never: never = reply;
      throw new Error(`unknown reply ${String(never)}`);
    }
  }
}
