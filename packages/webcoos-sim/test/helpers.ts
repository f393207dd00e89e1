import { afterEach } from 'vitest';
import { WebcoosSimulator, type WebcoosSimulatorOptions } from '../src/index.js';

const started: WebcoosSimulator[] = [];

/** Starts a simulator that is closed after the test. */
export async function startSim(options: WebcoosSimulatorOptions = {}): Promise<WebcoosSimulator> {
  const sim = await WebcoosSimulator.start(options);
  started.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

/** A small archive: two days, 30 daylight minutes a day, small files. */
export const SMALL: WebcoosSimulatorOptions = {
  archive: { from: '2024-06-01', to: '2024-06-03', emptyDays: [] },
  stillsPerDay: 30,
  stillBytes: 2_000,
  videoBytes: 50_000,
};

export const STILLS = 'currituck_hampton_inn-one-minute-stills-s3';
export const VIDEOS = 'currituck_hampton_inn-video-archive-s3';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
}

export interface ApiOptions {
  /** Token to send; default the simulator's; null sends no Authorization header. */
  token?: string | null;
  /** The whole Authorization header, instead of `Token <token>`. */
  authorization?: string;
  method?: string;
  headers?: Record<string, string>;
}

/** A call to the API: `path` is relative to `sim.url` (e.g. `/assets/`) or an absolute URL (a `next` link). */
export async function api(sim: WebcoosSimulator, path: string, options: ApiOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = options.token === undefined ? sim.token : options.token;
  if (options.authorization !== undefined) headers['Authorization'] = options.authorization;
  else if (token !== null) headers['Authorization'] = `Token ${token}`;
  const url = path.startsWith('http') ? path : `${sim.url}${path}`;
  const res = await fetch(url, { method: options.method ?? 'GET', headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The part of an element document the tests read. */
export interface ElementDoc {
  uuid: string;
  data: {
    extents: { temporal: { min: string; max: string } };
    properties: Record<string, unknown> & { url: string; thumbnails: { base: Record<string, string> } };
  };
}

export interface PageDoc<T> {
  results: T[];
  pagination: {
    next: string | null;
    previous: string | null;
    count: number;
    page: number;
    total_pages: number;
    next_page: number | null;
    previous_page: number | null;
    start_index: number;
    end_index: number;
  };
}

/** GETs a page and fails loudly unless it is a 200 page. */
export async function getPage<T = ElementDoc>(sim: WebcoosSimulator, path: string): Promise<PageDoc<T>> {
  const r = await api(sim, path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return r.json as PageDoc<T>;
}

/** Follows `next` links from a first URL and returns every page. */
export async function followPages<T = ElementDoc>(sim: WebcoosSimulator, first: string): Promise<PageDoc<T>[]> {
  const pages: PageDoc<T>[] = [];
  for (let url: string | null = first; url !== null;) {
    const page: PageDoc<T> = await getPage<T>(sim, url);
    pages.push(page);
    url = page.pagination.next;
  }
  return pages;
}

export const elementsQuery = (params: Record<string, string | number>): string =>
  `/elements/?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;

/** Reads a response body to the end, counting bytes; rejects if the connection breaks. */
export async function readAll(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
