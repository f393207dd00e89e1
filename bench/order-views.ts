/**
 * The views of one big order, read from the real API process (`node apps/api/dist/main.js`) on a fresh SQLite file
 * and Redis prefix: ONE ONC data-products order of 10,000 products (20 locations × 500 daily windows) is submitted
 * over HTTP, then made to look well under way (support/order-under-way.ts: 70% of its products with files, 21,000
 * files, the history of every transition). No worker runs: the views read only SQLite.
 *
 *   node bench/dist/order-views.js [--locations 20] [--days 500] [--gets 20] [--rounds 5] [--in-flight 10]
 *       [--load-ms 2000] [--read-threads N] [--keep]
 *
 * Prints, with PASS/FAIL against the issue's targets (answers ≤ 300 kB whatever the order's size; /healthz within
 * 100 ms while big reads run): the POST answer's size and time; GET /orders/:id's size and latency; paging through
 * GET /orders/:id/products and GET /orders/:id/events; /healthz alone and while `--in-flight` GET /orders/:id run at
 * once, repeated `--rounds` times. `--read-threads` sets the API's API_READ_THREADS (0: the views are read on its event
 * loop, as before there were read threads).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { openDatabase } from '@onc-orders/jobs';
import { deleteKeysWithPrefix } from '@onc-orders/testkit';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { machineCpu, machineCpuShares, ownCpuSeconds } from './support/child-process.js';
import { runBenchmark } from './support/cleanup.js';
import { fixed, log, printRows, quantile, verdict } from './support/format.js';
import { putOrderUnderWay } from './support/order-under-way.js';
import { timedOk, type TimedAnswer } from './support/timed-request.js';

const { values: flags } = parseArgs({
  options: {
    locations: { type: 'string', default: '20' },
    days: { type: 'string', default: '500' },
    gets: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    'in-flight': { type: 'string', default: '10' },
    'load-ms': { type: 'string', default: '2000' },
    'read-threads': { type: 'string' },
    'log-level': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const wholeNumber = (name: string, text: string | undefined): number => {
  if (!text || !/^\d+$/.test(text) || Number(text) < 1) throw new Error(`--${name} must be a positive whole number`);
  return Number(text);
};

/** The issue's bounds: an answer "under about 300 kB whatever the order's size"; /healthz "within 100 ms". */
const maxAnswerBytes = 300_000;
const maxHealthMs = 100;

const kB = (bytes: number) => `${fixed(bytes / 1000, 1)} kB`;
const msText = (ms: number) => `${fixed(ms, 1)} ms`;
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const spread = (values: readonly number[]) => {
  const s = sorted(values);
  return `median ${msText(quantile(s, 0.5))}, p95 ${msText(quantile(s, 0.95))}, max ${msText(s.at(-1) ?? NaN)}`;
};

/** ONC data products at `locations` sites, one product per day for `days` days: locations × days products. */
function orderSpec(locations: number, days: number) {
  const from = Date.UTC(2016, 0, 1);
  return {
    filters: {
      dataProductCode: 'TSSD',
      extension: 'csv',
      locationCode: Array.from({ length: locations }, (_, i) => `BENCH${String(i + 1).padStart(2, '0')}`),
      deviceCategoryCode: 'CTD',
      dateFrom: '2016-01-01',
      dateTo: new Date(from + days * 86_400_000).toISOString().slice(0, 10),
      dpo_qualityControl: 1,
    },
    split: 'P1D',
    includeMetadataFile: true,
    label: 'bench order-views',
  };
}

interface PagingFigures {
  pages: number;
  items: number;
  largestBytes: number;
  latencies: number[];
  totalMs: number;
}

/** Follows a paged route from its first page to its last; `next` reads the next page's URL from an answer. */
async function pageThrough(
  firstUrl: string,
  countItems: (answer: TimedAnswer) => number,
  next: (answer: TimedAnswer) => string | null,
): Promise<PagingFigures> {
  const start = performance.now();
  const figures: PagingFigures = { pages: 0, items: 0, largestBytes: 0, latencies: [], totalMs: 0 };
  for (let url: string | null = firstUrl; url !== null;) {
    const answer = await timedOk(url);
    figures.pages += 1;
    figures.items += countItems(answer);
    figures.largestBytes = Math.max(figures.largestBytes, answer.bytes);
    figures.latencies.push(answer.ms);
    url = next(answer);
  }
  figures.totalMs = performance.now() - start;
  return figures;
}

interface LoadRound {
  health: number[];
  gets: number[];
}

/** Asks `/healthz` every 20 ms, one probe at a time as a liveness probe would, until `work` has settled. */
async function probeHealthDuring<T>(api: ApiProcess, work: Promise<T>): Promise<{ result: T; health: number[] }> {
  const health: number[] = [];
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  const prober = async () => {
    // Let the work's first requests reach the API before the first probe.
    await sleep(5);
    while (!settled) {
      health.push((await timedOk(`${api.url}/healthz`)).ms);
      await sleep(20);
    }
  };
  const [result] = await Promise.all([done, prober()]);
  return { result, health };
}

/** `inFlight` clients each GET `loadUrl` back to back for `loadMs`, while `/healthz` is probed. */
async function healthUnderLoad(api: ApiProcess, loadUrl: string, inFlight: number, loadMs: number): Promise<LoadRound> {
  const gets: number[] = [];
  const until = performance.now() + loadMs;
  const client = async () => {
    while (performance.now() < until) gets.push((await timedOk(loadUrl)).ms);
  };
  const { health } = await probeHealthDuring(api, Promise.all(Array.from({ length: inFlight }, client)));
  return { health, gets };
}

await runBenchmark(async (cleanup) => {
  const locations = wholeNumber('locations', flags.locations);
  const days = wholeNumber('days', flags.days);
  const gets = wholeNumber('gets', flags.gets);
  const rounds = wholeNumber('rounds', flags.rounds);
  const inFlight = wholeNumber('in-flight', flags['in-flight']);
  const loadMs = wholeNumber('load-ms', flags['load-ms']);
  const productCount = locations * days;

  const work = await mkdtemp(join(tmpdir(), 'bench-order-views-'));
  cleanup.defer('remove temp dir', () =>
    flags.keep ? log(`kept ${work}`) : rm(work, { recursive: true, force: true }),
  );
  const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const prefix = `bench-order-views-${randomBytes(4).toString('hex')}`;
  cleanup.defer(`delete redis keys ${prefix}:*`, async () => {
    log(`deleted ${await deleteKeysWithPrefix(redisUrl, prefix)} redis keys under ${prefix}:`);
  });
  const databasePath = join(work, 'state.sqlite');
  // Migrations are applied here, before the API opens the file; this connection later writes the order's progress.
  const database = openDatabase(databasePath);
  cleanup.defer('close database', () => database.close());

  const api = await startApiProcess(
    {
      REDIS_URL: redisUrl,
      DATABASE_PATH: databasePath,
      DOWNLOAD_DIR: join(work, 'downloads'),
      QUEUE_PREFIX: prefix,
      // An address nothing answers: ONC is asked nothing until a worker runs the order, and none runs here.
      ONC_BASE_URL: 'http://127.0.0.1:9',
      ORDER_MAX_PRODUCTS: String(Math.max(productCount, 10_000)),
      // The deployment's default: the API logs every request, as it would for an operator.
      LOG_LEVEL: flags['log-level'] ?? 'info',
      ...(flags['read-threads'] !== undefined ? { API_READ_THREADS: flags['read-threads'] } : {}),
    },
    join(work, 'api.log'),
  );
  cleanup.defer('stop the API', () => api.stop());
  log(`API at ${api.url}, database ${databasePath}`);
  const cpuOfApi = () => api.process.cpuSeconds() ?? NaN;

  // --- POST /orders, /healthz probed meanwhile
  const { result: submitted, health: healthDuringPost } = await probeHealthDuring(
    api,
    timedOk(
      `${api.url}/orders`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(orderSpec(locations, days)),
      },
      201,
    ),
  );
  const order = JSON.parse(submitted.body.toString('utf8')) as { id: string; productCount: number };
  if (order.productCount !== productCount)
    throw new Error(`expected ${productCount} products, got ${order.productCount}`);
  log(`order ${order.id}: ${order.productCount} products, submitted in ${msText(submitted.ms)}`);

  const fillStart = performance.now();
  const underWay = putOrderUnderWay(database, order.id);
  log(
    `order under way in ${msText(performance.now() - fillStart)}: products ${JSON.stringify(underWay.productsByStatus)}, ` +
      `${underWay.files} files ${JSON.stringify(underWay.filesByStatus)}, ${underWay.events} events`,
  );
  const orderUrl = `${api.url}/orders/${order.id}`;

  // --- GET /orders/:id: the first one cold, then `gets` in a row
  const cold = await timedOk(orderUrl);
  const cpuBeforeGets = cpuOfApi();
  const views: TimedAnswer[] = [];
  for (let i = 0; i < gets; i += 1) views.push(await timedOk(orderUrl));
  const cpuPerGetMs = ((cpuOfApi() - cpuBeforeGets) * 1000) / gets;
  const viewBody = JSON.parse(cold.body.toString('utf8')) as {
    productsShown: number;
    progress: { filesTotal: number; filesComplete: number };
  };
  const viewBytes = Math.max(...views.map((answer) => answer.bytes));
  const progressOnly = await timedOk(`${orderUrl}?productLimit=0`);

  // --- GET /orders/:id/products, page by page, at the default page size and at the largest
  type ProductPageBody = { items: unknown[]; nextCursor: string | null };
  const productPages = (limit: number | undefined, status?: string) => {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set('limit', String(limit));
    if (status) query.set('status', status);
    const base = `${orderUrl}/products?${query.toString()}`;
    return pageThrough(
      base,
      (answer) => (JSON.parse(answer.body.toString('utf8')) as ProductPageBody).items.length,
      (answer) => {
        const { nextCursor } = JSON.parse(answer.body.toString('utf8')) as ProductPageBody;
        return nextCursor === null ? null : `${base}&cursor=${encodeURIComponent(nextCursor)}`;
      },
    );
  };
  const pagesAt100 = await productPages(undefined);
  const pagesAt500 = await productPages(500);
  const downloadingPages = await productPages(undefined, 'downloading');
  for (const paging of [pagesAt100, pagesAt500]) {
    if (paging.items !== productCount) throw new Error(`paging found ${paging.items} of ${productCount} products`);
  }

  // --- GET /orders/:id/events: first pages, then all of them at the default page size
  const eventsUrl = `${orderUrl}/events`;
  const nextEvents = (answer: TimedAnswer): string | null => {
    const match = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '');
    return match?.[1] ? `${api.url}${match[1]}` : null;
  };
  const eventsFirst: TimedAnswer[] = [];
  for (let i = 0; i < 5; i += 1) eventsFirst.push(await timedOk(eventsUrl));
  const eventsLargest = await timedOk(`${eventsUrl}?limit=10000`);
  const eventPages = await pageThrough(
    eventsUrl,
    (answer) => (JSON.parse(answer.body.toString('utf8')) as unknown[]).length,
    nextEvents,
  );
  if (eventPages.items !== underWay.events)
    throw new Error(`paging found ${eventPages.items} of ${underWay.events} events`);

  // --- /healthz alone, then while big reads run
  const idleHealth: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    idleHealth.push((await timedOk(`${api.url}/healthz`)).ms);
    await sleep(10);
  }
  const loadRounds: LoadRound[] = [];
  const machineBefore = machineCpu();
  const ownBefore = ownCpuSeconds() + cpuOfApi();
  const loadStart = performance.now();
  for (let i = 0; i < rounds; i += 1) loadRounds.push(await healthUnderLoad(api, orderUrl, inFlight, loadMs));
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const ownCpu = ownCpuSeconds() + cpuOfApi() - ownBefore;
  const machineAfter = machineCpu();
  const healthUnderViews = loadRounds.flatMap((round) => round.health);
  const getsUnderLoad = loadRounds.flatMap((round) => round.gets);
  const eventsLoad = await healthUnderLoad(api, `${eventsUrl}?limit=10000`, inFlight, loadMs);

  const healthMax = Math.max(...healthUnderViews);
  const cores = availableParallelism();
  const shares = machineBefore && machineAfter ? machineCpuShares(machineBefore, machineAfter) : undefined;
  // Busy CPU of the whole machine during the load rounds, less this benchmark's and the API's (Redis is left in).
  const foreignShare = shares
    ? Math.max(0, ((shares.user + shares.system + shares.steal) / 100) * loadSeconds * cores - ownCpu) /
      (loadSeconds * cores)
    : 0;
  printRows(`order-views (${new Date().toISOString()}, ${cores} cores)`, [
    [
      'order',
      `${productCount} products (${locations} locations × ${days} days); ${underWay.files} files ${JSON.stringify(underWay.filesByStatus)}; ${underWay.events} events`,
    ],
    ['products by status', JSON.stringify(underWay.productsByStatus)],
    ['POST /orders', `${kB(submitted.bytes)} in ${msText(submitted.ms)} (201)`],
    [
      '  /healthz meanwhile',
      healthDuringPost.length > 0 ? `${healthDuringPost.length} probes: ${spread(healthDuringPost)}` : 'no probe',
    ],
    [
      'GET /orders/:id',
      `${kB(viewBytes)}, ${viewBody.productsShown} products shown; first (cold) ${msText(cold.ms)}; ${gets} more: ${spread(views.map((answer) => answer.ms))}; API CPU ${fixed(cpuPerGetMs, 1)} ms per GET`,
    ],
    ['GET /orders/:id?productLimit=0', `${kB(progressOnly.bytes)} in ${msText(progressOnly.ms)}`],
    ...[
      ['GET /orders/:id/products (limit 100, default)', pagesAt100],
      ['GET /orders/:id/products?limit=500', pagesAt500],
      ['GET /orders/:id/products?status=downloading', downloadingPages],
    ].map(([name, paging]): [string, string] => {
      const p = paging as PagingFigures;
      return [
        name as string,
        `${p.pages} pages, ${p.items} products, largest page ${kB(p.largestBytes)}; per page ${spread(p.latencies)}; all pages ${msText(p.totalMs)}`,
      ];
    }),
    [
      'GET /orders/:id/events (limit 1000, default)',
      `first page ${kB(eventsFirst[0]?.bytes ?? NaN)}, ${spread(eventsFirst.map((answer) => answer.ms))} (5 GETs)`,
    ],
    ['GET /orders/:id/events?limit=10000', `${kB(eventsLargest.bytes)} in ${msText(eventsLargest.ms)}`],
    [
      'all events, 1000 a page',
      `${eventPages.pages} pages, ${eventPages.items} events; per page ${spread(eventPages.latencies)}; all pages ${msText(eventPages.totalMs)}`,
    ],
    ['/healthz, nothing else running (50)', spread(idleHealth)],
    [
      `/healthz, ${inFlight} GET /orders/:id in flight (${rounds} × ${loadMs} ms)`,
      `${healthUnderViews.length} probes: ${spread(healthUnderViews)}; each round's max ${loadRounds
        .map((round) => fixed(Math.max(...round.health), 0))
        .join(', ')} ms`,
    ],
    [
      `  those GET /orders/:id`,
      `${getsUnderLoad.length} answered (${fixed(getsUnderLoad.length / ((rounds * loadMs) / 1000), 1)}/s): ${spread(getsUnderLoad)}`,
    ],
    [
      '  machine CPU during those rounds',
      shares
        ? `${(['user', 'system', 'steal', 'idle'] as const).map((kind) => `${kind} ${fixed(shares[kind], 0)}%`).join(', ')}; the API and this benchmark ${fixed((100 * ownCpu) / (loadSeconds * cores), 0)}%, everything else ${fixed(100 * foreignShare, 0)}%`
        : 'n/a',
    ],
    [
      `/healthz, ${inFlight} GET /events?limit=10000 in flight (${loadMs} ms)`,
      `${eventsLoad.health.length} probes: ${spread(eventsLoad.health)}; the GETs: ${spread(eventsLoad.gets)}`,
    ],
    [`target: POST answer ≤ ${kB(maxAnswerBytes)}`, verdict(submitted.bytes <= maxAnswerBytes)],
    [`target: GET /orders/:id ≤ ${kB(maxAnswerBytes)}`, verdict(viewBytes <= maxAnswerBytes)],
    [
      `target: every /products page (default size) ≤ ${kB(maxAnswerBytes)}`,
      verdict(pagesAt100.largestBytes <= maxAnswerBytes),
    ],
    [
      `target: /events first page (default size) ≤ ${kB(maxAnswerBytes)}`,
      verdict((eventsFirst[0]?.bytes ?? Infinity) <= maxAnswerBytes),
    ],
    [
      `target: /healthz < ${maxHealthMs} ms with ${inFlight} GET /orders/:id in flight (max)`,
      `${verdict(healthMax < maxHealthMs)} (max ${msText(healthMax)})`,
    ],
    ...(foreignShare > 0.1
      ? [
          [
            'NOTE',
            `other processes used ${fixed(100 * foreignShare, 0)}% of the machine during the /healthz rounds: their latencies are pessimistic; run it again`,
          ] as [string, string],
        ]
      : []),
  ]);
  process.stdout.write(
    `RESULT ${JSON.stringify({
      products: productCount,
      postBytes: submitted.bytes,
      postMs: submitted.ms,
      viewBytes,
      viewMedianMs: quantile(sorted(views.map((answer) => answer.ms)), 0.5),
      productPagesMs: pagesAt100.totalMs,
      eventsFirstPageBytes: eventsFirst[0]?.bytes,
      healthUnderLoadMaxMs: healthMax,
      healthUnderLoadMedianMs: quantile(sorted(healthUnderViews), 0.5),
    })}\n`,
  );
});
