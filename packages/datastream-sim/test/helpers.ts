import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach } from 'vitest';
import { DataStreamSimulator, type DataStreamSimulatorOptions, type Resource, type Row } from '../src/index.js';

const started: DataStreamSimulator[] = [];

/** A small world, quick to generate, with the rate limit off unless the test turns it on. */
export const SMALL: DataStreamSimulatorOptions = {
  seed: 7,
  datasets: 3,
  locations: 8,
  observationsPerLocation: [40, 400],
  rateLimit: false,
};

/** Starts a simulator that is closed after the test. */
export async function startSim(options: DataStreamSimulatorOptions = {}): Promise<DataStreamSimulator> {
  const sim = await DataStreamSimulator.start({ ...SMALL, ...options });
  started.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface Page {
  value: Row[];
  '@odata.nextLink'?: string;
}

/** A query string encoded as the official clients encode it (form encoding: every reserved character escaped). */
export const encodeQuery = (params: Readonly<Record<string, string | number>>): string =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

export interface GetOptions {
  /** x-api-key to send; default the simulator's; null sends none. */
  key?: string | null;
  headers?: Record<string, string>;
}

export async function getUrl(sim: DataStreamSimulator, url: string, options: GetOptions = {}): Promise<Answer> {
  const key = options.key === undefined ? sim.apiKey : options.key;
  const res = await fetch(url, { headers: { ...(key === null ? {} : { 'x-api-key': key }), ...options.headers } });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const get = (
  sim: DataStreamSimulator,
  resource: string,
  params: Readonly<Record<string, string | number>> = {},
  options: GetOptions = {},
): Promise<Answer> => {
  const query = encodeQuery(params);
  return getUrl(sim, `${sim.url}/${resource}${query ? `?${query}` : ''}`, options);
};

/** Follows next links (body, else Link header) to the end; returns every row and the number of pages. */
export async function pullAll(
  sim: DataStreamSimulator,
  resource: Resource,
  params: Readonly<Record<string, string | number>> = {},
): Promise<{ rows: Row[]; pages: number; links: string[] }> {
  const rows: Row[] = [];
  const links: string[] = [];
  let url: string | null = `${sim.url}/${resource}?${encodeQuery(params)}`;
  let pages = 0;
  while (url !== null) {
    const answer = await getUrl(sim, url);
    if (answer.status !== 200) throw new Error(`${url} -> ${answer.status} ${answer.text}`);
    const page = answer.json as Page;
    rows.push(...page.value);
    pages++;
    const fromHeader = /^<([^>]+)>; rel="next"$/.exec(answer.headers.get('link') ?? '')?.[1] ?? null;
    url = page['@odata.nextLink'] ?? fromHeader;
    if (url !== null) links.push(url);
    if (pages > 10_000) throw new Error('too many pages');
  }
  return { rows, pages, links };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GETs with node:http (no automatic decompression), so a test sees the bytes as sent. */
export function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends a request line exactly as given (no client-side encoding) over a raw socket; returns the raw answer. */
export function rawRequest(sim: DataStreamSimulator, target: string, key: string | null = sim.apiKey): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sim.port, '127.0.0.1', () => {
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${sim.port}\r\n` +
          (key === null ? '' : `x-api-key: ${key}\r\n`) +
          'Connection: close\r\n\r\n',
      );
    });
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.on('error', reject);
  });
}

export const statusOf = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
export const bodyOf = (raw: string): string => raw.slice(raw.indexOf('\r\n\r\n') + 4);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
