/**
 * `/_sim/…`: the simulator's own endpoints, for a test that runs it in another process (the `datastream-sim`
 * command). Not part of DataStream's API: no key, no rate limit, not recorded.
 *
 *   GET    /_sim/calls                         recorded calls            DELETE /_sim/calls   forget them
 *   GET    /_sim/stats                         peak in flight, peak starts per second, …
 *   GET    /_sim/config                        the service settings      POST   /_sim/config  JSON patch
 *   GET    /_sim/faults                        active fault rules        POST   /_sim/faults  JSON rule
 *   DELETE /_sim/faults                        withdraw every rule
 *   GET    /_sim/summary                       seed, shape, DOIs, counts
 *   GET    /_sim/rows/<Resource>?filter=&select=   every row a complete pull yields (ground truth)
 *   GET    /_sim/count/<Resource>?filter=       how many rows that is
 *   GET    /_sim/location-ids?filter=           the Ids `/Locations?$select=Id&$filter=…` yields
 *   GET    /_sim/metadata/<DOI>                 one dataset's Metadata row (404 when unknown)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStats, RecordedCall } from './call-log.js';
import type { Row } from './dataset.js';
import type { FaultHandle, FaultRule } from './faults.js';
import { FilterError } from './filter-syntax.js';
import { isResource, type Resource } from './resources.js';
import type { ServiceSettings, SettingsPatch } from './service-settings.js';

export const CONTROL_PREFIX = '/_sim/';

export interface GroundTruthOptions {
  /** A `$filter` as a client would send it; default none. */
  filter?: string | null;
  /** Fields, as `$select` would name them; default every field. */
  select?: readonly string[] | null;
}

/** What the control endpoints need from the simulator. */
export interface SimControl {
  calls(): RecordedCall[];
  clearCalls(): void;
  stats(): CallStats;
  settings(): ServiceSettings;
  configure(patch: SettingsPatch): void;
  injectFault(rule: FaultRule): FaultHandle;
  clearFaults(): void;
  faults(): unknown[];
  summary(): unknown;
  rows(resource: Resource, options?: GroundTruthOptions): Row[];
  count(resource: Resource, filter?: string | null): number;
  locationIds(filter?: string | null): number[];
  metadata(doi: string): Row | undefined;
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
  if ('when' in body) throw new ControlError(400, 'when (a predicate) is in-process only; use match, resources, nth');
  const resources = body['resources'];
  if (
    resources !== undefined &&
    !(Array.isArray(resources) && resources.every((r) => typeof r === 'string' && isResource(r)))
  )
    throw new ControlError(400, 'resources must be a list of Metadata, Locations, Observations, Records');
  const match = body['match'];
  if (match !== undefined && !(isObject(match) && Object.values(match).every((v) => typeof v === 'string')))
    throw new ControlError(400, 'match must map query parameter names to strings');
  const times = body['times'] === 'Infinity' ? Infinity : body['times'];
  if (times !== undefined && typeof times !== 'number')
    throw new ControlError(400, 'times must be a number or "Infinity"');
  return { ...(body as unknown as FaultRule), ...(times === undefined ? {} : { times }) };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}

function resourceFrom(name: string): Resource {
  if (!isResource(name)) throw new ControlError(404, `no resource ${name}`);
  return name;
}

export async function handleControl(
  control: SimControl,
  req: IncomingMessage,
  res: ServerResponse,
  target: { path: string; rawQuery: string },
): Promise<void> {
  const path = target.path.slice(CONTROL_PREFIX.length);
  const params = new URLSearchParams(target.rawQuery);
  const filter = params.get('filter');
  const selectText = params.get('select');
  const select = selectText ? selectText.split(',').map((f) => f.trim()) : null;
  const verb = req.method ?? 'GET';
  try {
    if (path === 'calls' && verb === 'GET') return send(res, 200, control.calls());
    if (path === 'calls' && verb === 'DELETE') return (control.clearCalls(), send(res, 204));
    if (path === 'stats' && verb === 'GET') return send(res, 200, control.stats());
    if (path === 'config' && verb === 'GET') return send(res, 200, control.settings());
    if (path === 'config' && verb === 'POST') {
      const body = await readJson(req);
      if (!isObject(body)) throw new ControlError(400, 'config must be a JSON object');
      control.configure(body);
      return send(res, 200, control.settings());
    }
    if (path === 'faults' && verb === 'GET') return send(res, 200, control.faults());
    if (path === 'faults' && verb === 'POST') {
      const handle = control.injectFault(faultRuleFrom(await readJson(req)));
      return send(res, 201, { remaining: handle.remaining() });
    }
    if (path === 'faults' && verb === 'DELETE') return (control.clearFaults(), send(res, 204));
    if (path === 'summary' && verb === 'GET') return send(res, 200, control.summary());
    if (path.startsWith('rows/') && verb === 'GET')
      return send(res, 200, control.rows(resourceFrom(path.slice('rows/'.length)), { filter, select }));
    if (path.startsWith('count/') && verb === 'GET')
      return send(res, 200, { count: control.count(resourceFrom(path.slice('count/'.length)), filter) });
    if (path === 'location-ids' && verb === 'GET') return send(res, 200, control.locationIds(filter));
    if (path.startsWith('metadata/') && verb === 'GET') {
      const row = control.metadata(decodeURIComponent(path.slice('metadata/'.length)));
      return row ? send(res, 200, row) : send(res, 404, { message: 'no such DOI' });
    }
    return send(res, 404, { message: `no control endpoint ${verb} ${target.path}` });
  } catch (err) {
    if (err instanceof ControlError) return send(res, err.status, { message: err.message });
    if (err instanceof FilterError || err instanceof RangeError) return send(res, 400, { message: err.message });
    throw err;
  }
}
