/**
 * DataStream mode: one partitioned pull of the simulator's observations by real worker processes, with the
 * simulator's rate limit off and the fleet's call budget out of the way, so the figures are the pipeline's own:
 * rows/s and pages/s (one request in flight across the fleet, as DataStream asks, still holds). The order is submitted
 * in-process with `submitOrder`, timed until it is completed, and its row count checked against the simulator's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createQueues, getOrderView, openDatabase, submitOrder } from '@onc-orders/jobs';
import type { DataStreamOrderView } from '@onc-orders/source-datastream';
import { configureSources } from '@onc-orders/sources';
import { deleteKeysWithPrefix } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { repoRoot, startNode, type NodeChild } from './support/child-process.js';
import { runBenchmark } from './support/cleanup.js';
import { startDataStreamSimulatorProcess } from './support/datastream-simulator-process.js';
import { MB, fixed, log, printRows } from './support/format.js';

const { values: flags } = parseArgs({
  options: {
    locations: { type: 'string', default: '20' },
    'observations-per-location': { type: 'string', default: '5000,15000' },
    'page-size': { type: 'string', default: '10000' },
    workers: { type: 'string', default: '2' },
    format: { type: 'string', default: 'csv' },
    'latency-ms': { type: 'string', default: '0' },
    'timeout-s': { type: 'string', default: '600' },
    keep: { type: 'boolean', default: false },
  },
});

const wholeNumber = (name: string, text: string | undefined): number => {
  if (!text || !/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got ${text}`);
  return Number(text);
};

await runBenchmark(async (cleanup) => {
  const workersWanted = wholeNumber('workers', flags.workers);
  const format = flags.format === 'jsonl' ? 'jsonl' : 'csv';
  const work = await mkdtemp(join(tmpdir(), 'bench-datastream-'));
  cleanup.defer('remove temp dir', () =>
    flags.keep ? log(`kept ${work}`) : rm(work, { recursive: true, force: true }),
  );
  const downloadDir = join(work, 'downloads');
  const databasePath = join(work, 'state.sqlite');

  // --- the simulator, its limits off: the bench measures the pipeline, not DataStream's politeness rule
  const sim = await startDataStreamSimulatorProcess(
    [
      '--locations',
      String(wholeNumber('locations', flags.locations)),
      '--observations-per-location',
      flags['observations-per-location'] ?? '5000,15000',
      '--no-rate-limit',
      '--latency-ms',
      String(wholeNumber('latency-ms', flags['latency-ms'])),
      '--quiet',
    ],
    join(work, 'datastream-sim.log'),
  );
  cleanup.defer('stop datastream-sim', () => sim.stop());
  const summary = await sim.control<{ observations: number; locations: number }>('summary');
  log(`datastream-sim at ${sim.url}: ${summary.observations} observations at ${summary.locations} locations`);

  const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const prefix = `bench-datastream-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  cleanup.defer('disconnect redis', () => redis.disconnect());
  cleanup.defer(`delete redis keys ${prefix}:*`, async () => {
    log(`deleted ${await deleteKeysWithPrefix(redisUrl, prefix)} redis keys under ${prefix}:`);
  });
  const database = openDatabase(databasePath);
  cleanup.defer('close database', () => database.close());
  const queues = createQueues(redis, { prefix, maxAttempts: 8, services: ['datastream'] });
  cleanup.defer('close queues', () => queues.close());

  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    DATASTREAM_BASE_URL: sim.url,
    // The fleet's budget does not bind (the simulator has no limit here); one call in flight still holds.
    DATASTREAM_MAX_RPS: '1000',
    DATASTREAM_PAGE_SIZE: String(wholeNumber('page-size', flags['page-size'])),
    DATABASE_PATH: databasePath,
    DOWNLOAD_DIR: downloadDir,
    QUEUE_PREFIX: prefix,
    SHUTDOWN_DEADLINE_MS: '5000',
    LOG_LEVEL: 'warn',
  };
  const sources = configureSources(env, { redis, queuePrefix: prefix, logger: pino({ level: 'silent' }) });
  cleanup.defer('close sources', () => sources.close());
  const workerScript = join(repoRoot, 'apps', 'worker', 'dist', 'main.js');
  const workers: NodeChild[] = [];
  for (let i = 1; i <= workersWanted; i += 1) {
    workers.push(startNode(`worker-${i}`, workerScript, [], { env, logPath: join(work, `worker-${i}.log`) }));
  }
  cleanup.defer('stop workers', () => Promise.all(workers.map((worker) => worker.stop('SIGTERM', 15_000))));
  while ((await queues.control.getWorkersCount()) < workers.length) await sleep(100);
  log(`${workers.length} workers ready (prefix ${prefix})`);

  const spec = { source: 'datastream', format, label: 'bench: every observation, by location' };
  const submittedAt = Date.now();
  const { orderId } = await submitOrder({ db: database.db, queues, sources, maxProductsPerOrder: 10_000 }, spec);
  const deadline = submittedAt + wholeNumber('timeout-s', flags['timeout-s']) * 1000;
  let view: DataStreamOrderView | undefined;
  for (;;) {
    view = (await getOrderView(database.db, sources, orderId)) as DataStreamOrderView | undefined;
    if (view && ['completed', 'failed', 'cancelled'].includes(view.status)) break;
    if (Date.now() > deadline) throw new Error(`order ${orderId} did not end in time (${view?.status})`);
    await sleep(50);
  }
  const seconds = (Date.now() - submittedAt) / 1000;
  if (view.status !== 'completed') throw new Error(`order ${orderId} ended ${view.status}: ${view.error ?? ''}`);

  const rows = view.products.reduce((sum, product) => sum + product.rows, 0);
  const pages = view.products.reduce((sum, product) => sum + product.pages, 0);
  const bytes = view.products.reduce((sum, product) => sum + (product.files[0]?.size ?? 0), 0);
  const stats = await sim.control<{ calls: number; peakInFlight: number }>('stats');
  // How much of the wall time the simulator spent answering (its own encoding included), and the gaps between calls.
  const calls = await sim.control<Array<{ startedAt: number; endedAt: number | null }>>('calls');
  const answering = calls.reduce((sum, call) => sum + ((call.endedAt ?? call.startedAt) - call.startedAt), 0) / 1000;
  printRows(`DataStream pull: ${view.products.length} partitions, ${format}, $top ${env['DATASTREAM_PAGE_SIZE']}`, [
    ['rows', `${rows} (simulator: ${summary.observations})`],
    ['pages', String(pages)],
    ['calls to the simulator', `${stats.calls} (peak in flight ${stats.peakInFlight})`],
    ['written', `${fixed(bytes / MB)} MB`],
    ['seconds (submit to completed)', fixed(seconds, 2)],
    ['of which the simulator answering', `${fixed(answering, 2)} s (${fixed((100 * answering) / seconds, 0)}%)`],
    ['rows/s', fixed(rows / seconds, 0)],
    ['pages/s', fixed(pages / seconds, 2)],
    ['MB/s written', fixed(bytes / MB / seconds, 1)],
  ]);
  if (rows !== summary.observations) throw new Error(`pulled ${rows} rows, the simulator has ${summary.observations}`);
});
