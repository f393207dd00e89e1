/**
 * The HTTP face of the simulator: routes both URL forms of the service (and `/_sim/` control endpoints), checks
 * the token and parameter names, applies latency and faults, records the call, and writes the method's reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Behaviour } from './behaviour.js';
import { REDACTED, redactUrl, type CallLog, type RecordedCall } from './call-log.js';
import type { Catalogue } from './catalogue.js';
import type { Chaos } from './chaos.js';
import type { Clock } from './clock.js';
import { CONTROL_PREFIX, handleControl, type SimControl } from './control-endpoints.js';
import type { FaultAction, FaultCall, FaultPlan } from './faults.js';
import { dispatchMethod } from './methods/dispatch.js';
import { goneReply, notOnFtpYetReply } from './methods/download.js';
import { REQUIRED_PARAMETERS, acceptsParameter, isOncMethod } from './methods/method-names.js';
import { oncError, type OncErrorEntry } from './onc-errors.js';
import { errorReply, type PlainReply } from './reply.js';
import { sendFile } from './send-file.js';
import type { SimState } from './sim-state.js';

export const SERVICE_PATH = '/api/dataProductDelivery';

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
}

type Route = { form: 'query' | 'path'; method: string | null } | null;

function route(pathname: string, params: URLSearchParams): Route {
  if (pathname === SERVICE_PATH || pathname === `${SERVICE_PATH}/`)
    return { form: 'query', method: params.get('method') };
  if (pathname.startsWith(`${SERVICE_PATH}/`)) {
    const rest = pathname.slice(SERVICE_PATH.length + 1);
    if (rest.length > 0 && !rest.includes('/')) return { form: 'path', method: rest };
  }
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
    urlForm: r?.form ?? null,
    method: r?.method ?? null,
    params: redacted,
    url: redactUrl(req.url ?? '/'),
  });
  res.on('close', () => {
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
