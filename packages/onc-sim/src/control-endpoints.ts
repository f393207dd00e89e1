/**
 * `/_sim/…`: the simulator's own endpoints, for a test driving a simulator in another process (the `onc-sim`
 * command). Not part of ONC's API; calls to them are not recorded.
 *
 *   GET    /_sim/calls                 recorded calls (token redacted)      DELETE /_sim/calls   forget them
 *   GET    /_sim/requests              requests with their filters and run ids
 *   GET    /_sim/runs/<dpRunId>        one run: status and files (404 when unknown)
 *   GET    /_sim/expected-files?<filters>   the files any order of these filters serves, with sha256
 *   GET    /_sim/archive-files?<query>  the archive's files (locationCode+deviceCategoryCode or deviceCode, dateFrom,
 *                                       dateTo, fileExtension, includePending=true), with sha256
 *   GET    /_sim/archive-file?filename=<name>   one archive file (404 when the archive has none)
 *   POST   /_sim/config                JSON {behaviour?, latencyMs?, chaos?, archive?, discovery?}: change settings
 *   POST   /_sim/faults                JSON FaultRule (no `when`; `times` may be "Infinity")
 *   DELETE /_sim/faults                withdraw every fault rule
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Behaviour } from './behaviour.js';
import type { RecordedCall } from './call-log.js';
import type { ChaosOptions } from './chaos.js';
import type { FaultHandle, FaultRule } from './faults.js';
import type { ArchiveOptions } from './archive/archive-options.js';
import type { DiscoveryOptions } from './discovery/discovery-options.js';
import { isSimMethod } from './methods/method-names.js';

export const CONTROL_PREFIX = '/_sim/';

/** Settings that can change while the simulator runs. */
export interface SimConfigPatch {
  /** Merged over the simulator-wide behaviour, for requests made from now on. */
  behaviour?: Partial<Behaviour>;
  /** Delay before every service answer, in ms. */
  latencyMs?: number;
  /** Seeded random faults; null turns them off. */
  chaos?: ChaosOptions | null;
  /** Merged over the current archive options. */
  archive?: Partial<ArchiveOptions>;
  /** Merged over the current discovery options. */
  discovery?: Partial<DiscoveryOptions>;
}

/** What the control endpoints need from the simulator. */
export interface SimControl {
  calls(): RecordedCall[];
  clearCalls(): void;
  requests(): unknown;
  run(dpRunId: number): unknown;
  expectedFiles(filters: Record<string, string>): unknown;
  archiveFiles(query: Record<string, string | boolean>): unknown;
  archiveFile(name: string): unknown;
  configure(patch: SimConfigPatch): void;
  injectFault(rule: FaultRule): FaultHandle;
  clearFaults(): void;
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

function faultRuleFrom(body: unknown): FaultRule {
  if (!isObject(body) || !isObject(body['action'])) throw new ControlError(400, 'a fault rule needs an action object');
  const methods = body['methods'];
  if (
    methods !== undefined &&
    !(Array.isArray(methods) && methods.every((m) => typeof m === 'string' && isSimMethod(m)))
  )
    throw new ControlError(
      400,
      'methods must be a list of simulator methods (dataProductDelivery, archive, discovery)',
    );
  const match = body['match'];
  if (match !== undefined && !(isObject(match) && Object.values(match).every((v) => typeof v === 'string')))
    throw new ControlError(400, 'match must map parameter names to strings');
  const times = body['times'] === 'Infinity' ? Infinity : body['times'];
  if (times !== undefined && typeof times !== 'number')
    throw new ControlError(400, 'times must be a number or "Infinity"');
  return { ...(body as unknown as FaultRule), ...(times === undefined ? {} : { times }) };
}

function configPatchFrom(body: unknown): SimConfigPatch {
  if (!isObject(body)) throw new ControlError(400, 'config must be a JSON object');
  const { behaviour, latencyMs, chaos, archive, discovery } = body;
  if (behaviour !== undefined && !isObject(behaviour)) throw new ControlError(400, 'behaviour must be an object');
  if (archive !== undefined && !isObject(archive)) throw new ControlError(400, 'archive must be an object');
  if (discovery !== undefined && !isObject(discovery)) throw new ControlError(400, 'discovery must be an object');
  if (latencyMs !== undefined && typeof latencyMs !== 'number')
    throw new ControlError(400, 'latencyMs must be a number');
  if (chaos !== undefined && chaos !== null && !(isObject(chaos) && typeof chaos['seed'] === 'number'))
    throw new ControlError(400, 'chaos must be null or an object with a numeric seed');
  const patch: SimConfigPatch = {};
  if (behaviour !== undefined) patch.behaviour = behaviour;
  if (latencyMs !== undefined) patch.latencyMs = latencyMs;
  if (chaos !== undefined) patch.chaos = chaos as ChaosOptions | null;
  if (archive !== undefined) patch.archive = archive;
  if (discovery !== undefined) patch.discovery = discovery;
  return patch;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v));
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
  res.end(text);
}

export async function handleControl(
  control: SimControl,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  const verb = req.method ?? 'GET';
  try {
    if (path === 'calls' && verb === 'GET') return send(res, 200, control.calls());
    if (path === 'calls' && verb === 'DELETE') return (control.clearCalls(), send(res, 204));
    if (path === 'requests' && verb === 'GET') return send(res, 200, control.requests());
    if (path.startsWith('runs/') && verb === 'GET') {
      const run = control.run(Number(path.slice('runs/'.length)));
      return run ? send(res, 200, run) : send(res, 404, { message: 'no such run' });
    }
    if (path === 'expected-files' && verb === 'GET') {
      return send(res, 200, control.expectedFiles(Object.fromEntries(url.searchParams)));
    }
    if (path === 'archive-files' && verb === 'GET') {
      const query: Record<string, string | boolean> = Object.fromEntries(url.searchParams);
      if (query['includePending'] !== undefined) query['includePending'] = query['includePending'] === 'true';
      return send(res, 200, control.archiveFiles(query));
    }
    if (path === 'archive-file' && verb === 'GET') {
      const file = control.archiveFile(url.searchParams.get('filename') ?? '');
      return file ? send(res, 200, file) : send(res, 404, { message: 'no such archive file' });
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
    return send(res, 404, { message: `no control endpoint ${verb} ${url.pathname}` });
  } catch (err) {
    if (err instanceof ControlError) return send(res, err.status, { message: err.message });
    return send(res, 400, { message: err instanceof Error ? err.message : String(err) });
  }
}
