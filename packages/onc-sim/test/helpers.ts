import { afterEach, expect } from 'vitest';
import { OncSimulator, type OncSimulatorOptions } from '../src/index.js';

/** Asymmetric matchers, typed `unknown` rather than `any`. */
export const anyNumber: unknown = expect.any(Number);
export const anyString: unknown = expect.any(String);
export const containing = (text: string): unknown => expect.stringContaining(text);

const started: OncSimulator[] = [];

/** Starts a simulator that is closed after the test. */
export async function startSim(options: OncSimulatorOptions = {}): Promise<OncSimulator> {
  const sim = await OncSimulator.start(options);
  started.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  body: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface CallOptions {
  /** URL form: 'path' (`/dataProductDelivery/run`, default) or 'query' (`?method=run`). */
  form?: 'path' | 'query';
  /** Token to send; default the simulator's; null sends none. */
  token?: string | null;
  httpMethod?: 'GET' | 'HEAD' | 'POST';
  signal?: AbortSignal;
}

export function urlFor(
  sim: OncSimulator,
  method: string,
  params: Record<string, string | number>,
  options: CallOptions = {},
): string {
  const query = new URLSearchParams();
  if (options.form === 'query') query.set('method', method);
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) query.set('token', token);
  for (const [k, v] of Object.entries(params)) query.set(k, String(v));
  const path = options.form === 'query' ? sim.serviceUrl : `${sim.serviceUrl}/${method}`;
  return `${path}?${query.toString()}`;
}

export async function call(
  sim: OncSimulator,
  method: string,
  params: Record<string, string | number> = {},
  options: CallOptions = {},
): Promise<CallResult> {
  const res = await fetch(urlFor(sim, method, params, options), {
    method: options.httpMethod ?? 'GET',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body, json };
}

/** Filters for a valid generated-product request (CTD at Barkley Canyon Axis, one day). */
export const CTD_REQUEST = {
  locationCode: 'BACAX',
  deviceCategoryCode: 'CTD',
  dataProductCode: 'TSSD',
  extension: 'csv',
  dateFrom: '2019-06-20T00:00:00.000Z',
  dateTo: '2019-06-21T00:00:00.000Z',
  dpo_qualityControl: '1',
  dpo_resample: 'none',
} as const;

/** Makes a request and returns its dpRequestId. */
export async function requestProduct(
  sim: OncSimulator,
  filters: Record<string, string> = CTD_REQUEST,
): Promise<number> {
  const r = await call(sim, 'request', filters);
  if (r.status !== 200) throw new Error(`request failed: ${r.status} ${r.text}`);
  return (r.json as { dpRequestId: number }).dpRequestId;
}

/** Requests and runs a product; returns the request id and its run ids. */
export async function requestAndRun(
  sim: OncSimulator,
  filters: Record<string, string> = CTD_REQUEST,
): Promise<{ dpRequestId: number; runIds: number[] }> {
  const dpRequestId = await requestProduct(sim, filters);
  const r = await call(sim, 'run', { dpRequestId });
  if (r.status !== 200 && r.status !== 202) throw new Error(`run failed: ${r.status} ${r.text}`);
  return { dpRequestId, runIds: (r.json as { dpRunId: number }[]).map((x) => x.dpRunId) };
}

export const errorsOf = (r: CallResult) =>
  (r.json as { errors: { errorCode: number; errorMessage: string; parameter: string }[] }).errors;

/** Calls `/api/<path>` (an archivefile or discovery service) with the simulator's token unless told otherwise. */
export async function api(
  sim: OncSimulator,
  path: string,
  params: Record<string, string | number> = {},
  options: Pick<CallOptions, 'token' | 'httpMethod' | 'signal'> & { headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const query = new URLSearchParams();
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) query.set('token', token);
  for (const [k, v] of Object.entries(params)) query.set(k, String(v));
  const res = await fetch(`${sim.url}api/${path}?${query.toString()}`, {
    method: options.httpMethod ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body, json };
}

/** An archive listing's answer. */
export interface Listing {
  next: { parameters: Record<string, string>; url: string } | null;
  queryUrl: string;
  files: unknown[];
  messages?: string[];
}

export const listingOf = (r: CallResult): Listing => {
  if (r.status !== 200) throw new Error(`listing answered ${r.status}: ${r.text}`);
  return r.json as Listing;
};

/** A fixed "now" for archive tests: 2024-06-02 00:00 UTC. */
export const ARCHIVE_NOW = Date.parse('2024-06-02T00:00:00.000Z');
