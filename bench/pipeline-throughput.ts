/**
 * The whole pipeline as it runs for real: onc-sim and N worker processes (`apps/worker/dist/main.js`) sharing a
 * SQLite file and a Redis prefix; ONE order of 200 daily products (2 data files + the metadata file each) submitted
 * in-process with `submitOrder`, timed until the order is completed.
 *
 *   node bench/dist/pipeline-throughput.js --mode fast      # no ONC latency or processing; target ≥ 500 files/s
 *   node bench/dist/pipeline-throughput.js --mode bounded   # 3 s processing, 4 MiB/s per download, 3 downloads
 *                                                           # at a time; target ≤ 1.3 × the bound
 *   node bench/dist/pipeline-throughput.js --mode small-files  # 30 products of 1–4 files of 0.5–1.5 MB, 20 ms
 *                                                           # latency, 0.5 + 3 s processing, 5 MB/s per download,
 *                                                           # 3 at a time; target ≤ 1.2 × the bound
 *
 * Flags (defaults depend on the mode): --products N, --workers N, --download-concurrency N (WORKER_DOWNLOAD_CONCURRENCY),
 * --control-concurrency N (WORKER_CONTROL_CONCURRENCY), --max-downloads N (ONC_MAX_DOWNLOADS), --max-rps N
 * (ONC_MAX_RPS), --poll-min-ms N, --files-per-product N (data files, default 2), --file-size BYTES, --running-ms MS, --bandwidth BYTES_PER_S, --timeout-s S,
 * --cpu-prof (profile the workers; summary printed), --profile-dir DIR (keep the .cpuprofile files), --probe (time
 * SQLite statements, PostgreSQL round trips, Redis commands, fsyncs and the event loop inside the workers, see support/worker-probe.ts),
 * --probe-statements (with --probe: each PostgreSQL statement by its whole SQL text, not by verb and table),
 * --keep (keep the temp dir with the database, downloads and logs), --database sqlite|postgres (where the state
 * lives: a SQLite file in the temp dir, the default, or a database of its own on the PostgreSQL at 127.0.0.1:5432 or
 * TEST_POSTGRES_URL, dropped afterwards; `bench/fast-on-both-dialects.js` runs the fast mode on each).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createQueues, findOrder, getOrderEvents, getOrderView, openStateStore, submitOrder } from '@onc-orders/jobs';
import type { DataProductsOrderView } from '@onc-orders/source-onc';
import { configureSources } from '@onc-orders/sources';
import { pino } from 'pino';
import {
  machineCpu,
  machineCpuShares,
  ownCpuSeconds,
  postgresCpuSeconds,
  repoRoot,
  startNode,
  type NodeChild,
} from './support/child-process.js';
import { runBenchmark } from './support/cleanup.js';
import { summariseProfile } from './support/cpu-profile.js';
import { jobTimings, printProbeReports, readProbeReports } from './support/diagnostics.js';
import { MB, MiB, fixed, log, printRows, quantile, verdict } from './support/format.js';
import { createTestDatabase, deleteKeysWithPrefix } from '@onc-orders/testkit';
import { redisDelta, redisSnapshot } from './support/redis-info.js';
import { startSimulatorProcess } from './support/simulator-process.js';

const { values: flags } = parseArgs({
  options: {
    mode: { type: 'string', default: 'fast' },
    products: { type: 'string' },
    workers: { type: 'string', default: '2' },
    'download-concurrency': { type: 'string' },
    'control-concurrency': { type: 'string' },
    'max-downloads': { type: 'string' },
    'max-rps': { type: 'string' },
    'poll-min-ms': { type: 'string' },
    'file-size': { type: 'string' },
    'files-per-product': { type: 'string' },
    'running-ms': { type: 'string' },
    bandwidth: { type: 'string' },
    'timeout-s': { type: 'string' },
    'warmup-products': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    probe: { type: 'boolean', default: false },
    'probe-statements': { type: 'boolean', default: false },
    'profile-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string', default: 'sqlite' },
  },
});

const dialect = flags.database;
if (dialect !== 'sqlite' && dialect !== 'postgres')
  throw new Error(`--database must be sqlite or postgres, got ${dialect}`);

type Mode = 'fast' | 'bounded' | 'small-files';

/** The wall time each bounded mode must stay within, as a multiple of its bound. */
const boundTargets: Record<Exclude<Mode, 'fast'>, number> = { bounded: 1.3, 'small-files': 1.2 };

interface Settings {
  mode: Mode;
  products: number;
  workers: number;
  /** Data files per product (the metadata file comes on top). */
  filesPerRun: number;
  fileSizeBytes: number;
  queuedMs: number;
  runningMs: number;
  /** Per download, bytes/s; 0 = unlimited. */
  bandwidth: number;
  maxDownloads: number;
  maxRps: number;
  pollMinMs: number;
  downloadConcurrency: number;
  controlConcurrency: number;
  timeoutMs: number;
  /** Products of the order run (and waited for) before the measured one; 0 measures cold workers. */
  warmupProducts: number;
  /** Each product's data files drawn from this range (small-files mode), instead of `filesPerRun`. */
  filesPerRunRange?: [number, number];
  /** Each data file's size drawn from this range of bytes (small-files mode), instead of `fileSizeBytes`. */
  fileSizeRange?: [number, number];
  /** The simulator's delay before every answer, in ms. */
  latencyMs: number;
}

/** What a mode sets; flags override the numbers. */
interface Preset {
  products?: number;
  filesPerRunRange?: [number, number];
  fileSizeRange?: [number, number];
  fileSizeBytes: number;
  queuedMs?: number;
  runningMs: number;
  latencyMs?: number;
  bandwidth: number;
  maxDownloads: number;
  maxRps: number;
  pollMinMs: number;
  timeoutS: number;
  warmupProducts: number;
  downloadConcurrency: number;
  controlConcurrency: number;
}

function integerFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return parsed;
}

function settingsFromFlags(): Settings {
  const mode = flags.mode;
  if (mode !== 'fast' && mode !== 'bounded' && mode !== 'small-files') {
    throw new Error(`--mode must be fast, bounded or small-files, got ${String(mode)}`);
  }
  const preset: Preset =
    mode === 'small-files'
      ? {
          // Files of varying size and number, as real products have: 1–4 files of 0.5–1.5 MB each.
          products: 30,
          filesPerRunRange: [1, 4],
          fileSizeRange: [500_000, 1_500_000],
          fileSizeBytes: 1_000_000,
          queuedMs: 500,
          runningMs: 3_000,
          latencyMs: 20,
          bandwidth: 5_000_000,
          maxDownloads: 3,
          // A budget that does not bind, as the bound (and a plain download loop) has none.
          maxRps: 200,
          pollMinMs: 1_000,
          timeoutS: 300,
          warmupProducts: 0,
          downloadConcurrency: 8,
          controlConcurrency: 16,
        }
      : mode === 'fast'
        ? {
            fileSizeBytes: 4096,
            runningMs: 0,
            bandwidth: 0,
            maxDownloads: 64,
            maxRps: 100_000,
            pollMinMs: 50,
            timeoutS: 300,
            // A fresh worker's V8 keeps optimising its hot code for its first few thousand files: after 100 products
            // the optimising compiler still took about 16% of the machine during the measured order (perf), after
            // 1,500 about 5%. An operator's fleet runs for hours; the warm-up order's own rate is printed as the cold
            // figure.
            warmupProducts: 1_500,
            // Enough jobs in flight for a busy worker to batch its work: at 8/16 a worker waits on its round trips.
            downloadConcurrency: 32,
            controlConcurrency: 64,
          }
        : {
            fileSizeBytes: 2 * MiB,
            runningMs: 3_000,
            bandwidth: 4 * MiB,
            maxDownloads: 3,
            maxRps: 50,
            pollMinMs: 1_000,
            timeoutS: 400,
            // Minutes of transfer dwarf the first order's JIT compilation.
            warmupProducts: 0,
            // The apps' defaults (environment.ts): with 3 downloads at a time, more would only wait.
            downloadConcurrency: 8,
            controlConcurrency: 16,
          };
  return {
    mode,
    products: integerFlag('products', flags.products, preset.products ?? 200),
    workers: integerFlag('workers', flags.workers, 2),
    filesPerRun: integerFlag('files-per-product', flags['files-per-product'], 2),
    fileSizeBytes: integerFlag('file-size', flags['file-size'], preset.fileSizeBytes),
    queuedMs: preset.queuedMs ?? 0,
    latencyMs: preset.latencyMs ?? 0,
    ...(preset.filesPerRunRange && flags['files-per-product'] === undefined
      ? { filesPerRunRange: preset.filesPerRunRange }
      : {}),
    ...(preset.fileSizeRange && flags['file-size'] === undefined ? { fileSizeRange: preset.fileSizeRange } : {}),
    runningMs: integerFlag('running-ms', flags['running-ms'], preset.runningMs),
    bandwidth: integerFlag('bandwidth', flags.bandwidth, preset.bandwidth),
    maxDownloads: integerFlag('max-downloads', flags['max-downloads'], preset.maxDownloads),
    maxRps: integerFlag('max-rps', flags['max-rps'], preset.maxRps),
    pollMinMs: integerFlag('poll-min-ms', flags['poll-min-ms'], preset.pollMinMs),
    downloadConcurrency: integerFlag('download-concurrency', flags['download-concurrency'], preset.downloadConcurrency),
    controlConcurrency: integerFlag('control-concurrency', flags['control-concurrency'], preset.controlConcurrency),
    timeoutMs: integerFlag('timeout-s', flags['timeout-s'], preset.timeoutS) * 1000,
    warmupProducts: integerFlag('warmup-products', flags['warmup-products'], preset.warmupProducts),
  };
}

/** Daily products from 2016-01-01 at BACAX, where the simulator's CTD SBECTD19p6813 has data (2015-09-17 on). */
function orderSpec(products: number) {
  const day = 86_400_000;
  const from = Date.UTC(2016, 0, 1);
  return {
    filters: {
      dataProductCode: 'TSSD',
      extension: 'csv',
      locationCode: 'BACAX',
      deviceCategoryCode: 'CTD',
      dateFrom: '2016-01-01',
      dateTo: new Date(from + products * day).toISOString().slice(0, 10),
    },
    split: 'P1D',
    label: 'bench pipeline-throughput',
  };
}

const hasEnded = (status: string | undefined): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : NaN);

async function tail(path: string, lines: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function waitForWorkers(
  queues: ReturnType<typeof createQueues>,
  workers: readonly NodeChild[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const worker of workers) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
        throw new Error(`${worker.name} exited during start:\n${await tail(worker.logPath, 20)}`);
      }
    }
    const [control, downloads] = await Promise.all([
      queues.control.getWorkersCount(),
      queues.downloadsOf('onc').getWorkersCount(),
    ]);
    if (control >= workers.length && downloads >= workers.length) return;
    if (Date.now() > deadline)
      throw new Error(`only ${control}/${downloads} of ${workers.length} workers registered within ${timeoutMs} ms`);
    await sleep(100);
  }
}

await runBenchmark(async (cleanup) => {
  const settings = settingsFromFlags();
  const cores = availableParallelism();
  const work = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
  cleanup.defer('remove temp dir', () =>
    flags.keep ? log(`kept ${work}`) : rm(work, { recursive: true, force: true }),
  );
  const downloadDir = join(work, 'downloads');
  const databasePath = join(work, 'state.sqlite');
  const profileDir = join(work, 'profiles');

  // --- the simulator
  const sim = await startSimulatorProcess(
    [
      '--queued-ms',
      String(settings.queuedMs),
      '--running-ms',
      String(settings.runningMs),
      '--files-per-run',
      String(settings.filesPerRun),
      '--file-size',
      String(settings.fileSizeBytes),
      ...(settings.filesPerRunRange ? ['--files-per-run-range', settings.filesPerRunRange.join(',')] : []),
      ...(settings.fileSizeRange ? ['--file-size-range', settings.fileSizeRange.join(',')] : []),
      ...(settings.latencyMs > 0 ? ['--latency-ms', String(settings.latencyMs)] : []),
      ...(settings.bandwidth > 0 ? ['--bandwidth', String(settings.bandwidth)] : []),
      '--quiet',
    ],
    join(work, 'onc-sim.log'),
    flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  cleanup.defer('stop onc-sim', () => sim.stop());
  log(`onc-sim at ${sim.url}`);

  // --- Redis, SQLite and the queues, as the API would hold them
  const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const prefix = `bench-pipeline-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  cleanup.defer('disconnect redis', () => redis.disconnect());
  cleanup.defer(`delete redis keys ${prefix}:*`, async () => {
    const deleted = await deleteKeysWithPrefix(redisUrl, prefix);
    log(`deleted ${deleted} redis keys under ${prefix}:`);
  });
  // Migrations are applied here, before any worker opens the database.
  const store = dialect === 'postgres' ? await createTestDatabase({ poolMax: 1 }) : undefined;
  if (store) cleanup.defer(`drop database ${store.name}`, () => store.drop());
  const location = store
    ? { dialect: 'postgres' as const, url: store.url }
    : { dialect: 'sqlite' as const, path: databasePath };
  const database = await openStateStore(location);
  cleanup.defer('close database', () => database.close());
  log(store ? `state in PostgreSQL, database ${store.name}` : `state in SQLite, ${databasePath}`);
  const queues = createQueues(redis, { prefix, maxAttempts: 8, services: ['onc'] });
  cleanup.defer('close queues', () => queues.close());

  // --- the workers
  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    ONC_BASE_URL: sim.url,
    ONC_TOKEN: 'bench-token',
    ...(store ? { DATABASE_URL: store.url } : { DATABASE_PATH: databasePath }),
    DOWNLOAD_DIR: downloadDir,
    QUEUE_PREFIX: prefix,
    ONC_MAX_RPS: String(settings.maxRps),
    ONC_MAX_DOWNLOADS: String(settings.maxDownloads),
    WORKER_DOWNLOAD_CONCURRENCY: String(settings.downloadConcurrency),
    WORKER_CONTROL_CONCURRENCY: String(settings.controlConcurrency),
    POLL_MIN_MS: String(settings.pollMinMs),
    SHUTDOWN_DEADLINE_MS: '5000',
    LOG_LEVEL: 'warn',
  };
  // The bench submits and reads the order in-process, with the sources as the workers configure them.
  const sources = configureSources(env, { redis, queuePrefix: prefix, logger: pino({ level: 'silent' }) });
  cleanup.defer('close sources', () => sources.close());
  if (flags['cpu-prof']) await mkdir(profileDir, { recursive: true });
  const workerScript = join(repoRoot, 'apps', 'worker', 'dist', 'main.js');
  const probeScript = pathToFileURL(join(repoRoot, 'bench', 'dist', 'support', 'worker-probe.js')).href;
  const probePaths: string[] = [];
  const workers: NodeChild[] = [];
  for (let i = 1; i <= settings.workers; i += 1) {
    const probePath = join(work, `probe-worker-${i}.json`);
    if (flags.probe) probePaths.push(probePath);
    workers.push(
      startNode(`worker-${i}`, workerScript, [], {
        env: flags.probe
          ? { ...env, BENCH_PROBE_OUT: probePath, ...(flags['probe-statements'] ? { BENCH_PROBE_SQL: 'full' } : {}) }
          : env,
        logPath: join(work, `worker-${i}.log`),
        nodeArgs: [
          ...(flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
          ...(flags.probe ? ['--import', probeScript] : []),
        ],
      }),
    );
  }
  const stopWorkers = () => Promise.all(workers.map((worker) => worker.stop('SIGTERM', 15_000)));
  cleanup.defer('stop workers', stopWorkers);
  await waitForWorkers(queues, workers, 30_000);
  log(`${workers.length} workers ready (prefix ${prefix})`);

  // --- a warm-up order: workers are long-lived, and a fresh process spends its first seconds compiling its code
  let warmupSummary: { files: number; seconds: number } | undefined;
  if (settings.warmupProducts > 0) {
    const startedAt = Date.now();
    const warmup = await submitOrder(
      { db: database.db, queues, sources, maxProductsPerOrder: 10_000 },
      { ...orderSpec(settings.warmupProducts), label: 'bench warm-up' },
    );
    let warmupStatus = (await findOrder(database.db, warmup.orderId))?.status;
    while (!hasEnded(warmupStatus)) {
      if (Date.now() - startedAt > settings.timeoutMs) throw new Error(`warm-up order still ${warmupStatus}`);
      await sleep(50);
      warmupStatus = (await findOrder(database.db, warmup.orderId))?.status;
    }
    const seconds = (Date.now() - startedAt) / 1000;
    warmupSummary = {
      files: (await getOrderView(database.db, sources, warmup.orderId))?.progress.filesComplete ?? 0,
      seconds,
    };
    log(`warm-up order of ${settings.warmupProducts} products ${warmupStatus} in ${fixed(seconds, 2)} s`);
  }

  // --- the order
  const spec = orderSpec(settings.products);
  if (flags.probe) {
    // First SIGUSR2: the probes forget start-up and begin the measured window.
    for (const worker of workers) worker.child.kill('SIGUSR2');
    await sleep(200);
  }
  const redisBefore = await redisSnapshot(redis);
  const cpuBefore = {
    sim: sim.process.cpuSeconds(),
    workers: workers.map((w) => w.cpuSeconds()),
    bench: ownCpuSeconds(),
    postgres: store ? postgresCpuSeconds() : 0,
  };
  const machineBefore = machineCpu();
  const submittedAt = Date.now();
  const { orderId } = await submitOrder({ db: database.db, queues, sources, maxProductsPerOrder: 10_000 }, spec);
  const submitReturnedAt = Date.now();
  log(`order ${orderId} submitted (${settings.products} products)`);

  let lastReport = Date.now();
  let status = (await findOrder(database.db, orderId))?.status;
  while (!hasEnded(status)) {
    if (Date.now() - submittedAt > settings.timeoutMs) {
      const view = await getOrderView(database.db, sources, orderId);
      for (const worker of workers) log(`${worker.name} log tail:\n${await tail(worker.logPath, 15)}`);
      throw new Error(`order still ${status} after ${settings.timeoutMs / 1000} s: ${JSON.stringify(view?.progress)}`);
    }
    if (Date.now() - lastReport >= 5_000) {
      lastReport = Date.now();
      const progress = (await getOrderView(database.db, sources, orderId))?.progress;
      log(
        `… ${progress?.filesComplete ?? 0}/${progress?.filesTotal ?? 0} files, products ${JSON.stringify(progress?.products)}`,
      );
    }
    await sleep(50);
    status = (await findOrder(database.db, orderId))?.status;
  }
  const detectedAt = Date.now();
  const cpuAfter = {
    sim: sim.process.cpuSeconds(),
    workers: workers.map((w) => w.cpuSeconds()),
    bench: ownCpuSeconds(),
    postgres: store ? postgresCpuSeconds() : 0,
  };
  const machineAfter = machineCpu();
  const workerPeakRss = workers.map((w) => w.peakRssBytes());
  const redisAfter = await redisSnapshot(redis);

  // Second SIGUSR2: the probes write their reports for the window.
  if (flags.probe) for (const worker of workers) worker.child.kill('SIGUSR2');
  const probes = flags.probe ? await readProbeReports(probePaths, 5_000) : [];

  // Graceful stop, so --cpu-prof profiles get written.
  const exits = await stopWorkers();
  const view = (await getOrderView(database.db, sources, orderId)) as DataProductsOrderView;
  const events = await getOrderEvents(database.db, orderId);

  // --- what happened, from the order's own history (ms timestamps in SQLite)
  const times = (entity: string, to: string) =>
    events
      .filter((e) => e.entity === entity && e.to === to)
      .map((e) => ms(e.at))
      .sort((a, b) => a - b);
  const fileDone = times('file', 'complete');
  const finishedAt = ms(view.finishedAt);
  const wallS = (finishedAt - submittedAt) / 1000;
  const files = view.progress.filesComplete;
  const started = new Map<string, number>();
  const durations: number[] = [];
  for (const event of events) {
    if (event.entity !== 'file') continue;
    if (event.to === 'downloading') started.set(event.entityId, ms(event.at));
    if (event.to === 'complete') {
      const begin = started.get(event.entityId);
      if (begin !== undefined) durations.push(ms(event.at) - begin);
    }
  }
  durations.sort((a, b) => a - b);
  const firstFile = fileDone[0] ?? NaN;
  const lastFile = fileDone.at(-1) ?? NaN;
  const lastFileEnded = Math.max(lastFile, ...times('file', 'absent'));
  const lastProductEnded = times('product', 'complete').at(-1) ?? NaN;
  const p10 = quantile(fileDone, 0.1);
  const p90 = quantile(fileDone, 0.9);
  const steadyRate = (0.8 * (fileDone.length - 1)) / ((p90 - p10) / 1000);
  // A product's first step ends with ONC's dpRequestId: its move from pending to preparing.
  const requested = times('product', 'preparing');
  const downloading = times('product', 'downloading');
  const retries = events.filter((e) => e.kind === 'retry').length;
  const firstDownloadStart = Math.min(...started.values());
  const busyMs = durations.reduce((sum, d) => sum + d, 0);
  const since = (t: number) => `${fixed((t - submittedAt) / 1000, 2)} s`;

  // --- the simulator's view: one request per product, one successful download per file
  // Only the measured order's calls: the warm-up order's came before it was submitted.
  const calls = (await sim.calls()).filter((call) => call.at >= submittedAt);
  const count = (method: string, ok?: (status: number | null) => boolean) =>
    calls.filter((c) => c.method === method && (!ok || ok(c.status))).length;
  const downloadsOk = calls.filter(
    (c) => c.method === 'download' && (c.status === 200 || c.status === 206) && c.completed,
  ).length;
  const byStatus = new Map<string, number>();
  for (const call of calls) {
    const key = `${call.method ?? '?'} ${call.status ?? 'dropped'}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }

  // --- the files on disk against what the simulator served
  let mismatches = 0;
  let absent = 0;
  let totalBytes = 0;
  for (const product of view.products) {
    const expected = await sim.expectedFiles(product.filters);
    let complete = 0;
    for (const file of product.files) {
      const want = expected.find((e) => e.run === file.run && String(e.index) === file.index);
      if (file.status === 'absent') {
        // The run's file count was unknown, so the pipeline tried the next index and ONC said there was none.
        absent += 1;
        if (want) mismatches += 1;
        continue;
      }
      const onDisk = file.path ? await stat(join(downloadDir, file.path)).catch(() => undefined) : undefined;
      totalBytes += file.size ?? 0;
      complete += 1;
      if (!want || file.status !== 'complete' || file.sha256 !== want.sha256 || onDisk?.size !== want.sizeBytes)
        mismatches += 1;
    }
    if (complete !== expected.length) mismatches += Math.abs(expected.length - complete);
  }

  const cpuOf = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined ? NaN : after - before;
  const simCpu = cpuOf(cpuBefore.sim, cpuAfter.sim);
  const workerCpu = workers.map((_, i) => cpuOf(cpuBefore.workers[i], cpuAfter.workers[i]));
  const benchCpu = cpuAfter.bench - cpuBefore.bench;
  const redisUsed = redisDelta(redisBefore, redisAfter);
  const windowS = (detectedAt - submittedAt) / 1000;
  const machineShares = machineBefore && machineAfter ? machineCpuShares(machineBefore, machineAfter) : undefined;
  // Busy CPU seconds of the whole machine in the window, and of this benchmark's own processes (Redis included).
  const machineBusy = machineShares
    ? ((machineShares.user + machineShares.system + machineShares.steal) / 100) * windowS * cores
    : undefined;
  const postgresCpu = cpuAfter.postgres - cpuBefore.postgres;
  const ownCpu = simCpu + workerCpu.reduce((sum, cpu) => sum + cpu, 0) + benchCpu + redisUsed.cpuSeconds + postgresCpu;
  const share = (cpu: number) => `${fixed(cpu, 2)} s (${fixed((100 * cpu) / (windowS * cores), 0)}% of ${cores} cores)`;

  const rows: Array<[string, string]> = [
    [
      'state store',
      store
        ? 'PostgreSQL (DATABASE_URL), each job committing on its own pooled connection'
        : 'SQLite (DATABASE_PATH), group commit',
    ],
    [
      'settings',
      `${settings.workers} workers × (downloads ${settings.downloadConcurrency}, control ${settings.controlConcurrency}); ONC_MAX_DOWNLOADS ${settings.maxDownloads}, ONC_MAX_RPS ${settings.maxRps}, POLL_MIN_MS ${settings.pollMinMs}`,
    ],
    [
      'simulator',
      `${settings.filesPerRunRange ? settings.filesPerRunRange.join('–') : settings.filesPerRun} files × ${settings.fileSizeRange ? `${settings.fileSizeRange.join('–')} B` : `${settings.fileSizeBytes} B`} + 1 KiB meta per product; latency ${settings.latencyMs} ms; queued ${settings.queuedMs} ms, running ${settings.runningMs} ms, bandwidth ${settings.bandwidth > 0 ? `${fixed(settings.bandwidth / MiB, 2)} MiB/s per download` : 'unlimited'}`,
    ],
    [
      'warm-up before the measured order',
      warmupSummary
        ? `an order of ${settings.warmupProducts} products, run to completion (workers are long-lived; --warmup-products 0 measures cold ones)`
        : 'none: cold workers',
    ],
    [
      'files/s of the warm-up order (cold workers)',
      warmupSummary
        ? `${fixed(warmupSummary.files / warmupSummary.seconds, 1)} (${warmupSummary.files} files in ${fixed(warmupSummary.seconds, 2)} s)`
        : '—',
    ],
    ['order', `${view.status}; products ${JSON.stringify(view.progress.products)}`],
    ['products', String(view.productCount)],
    [
      'files',
      `${files} complete, ${fixed(totalBytes / MB, 1)} MB` +
        (absent > 0 ? ` (+ ${absent} probes past the last file, answered 404: run file counts were unknown)` : ''),
    ],
    [
      'verified against onc-sim',
      mismatches === 0 ? `all ${files} files (sha256 + size on disk)` : `${mismatches} MISMATCHES`,
    ],
    ['wall (submit → order completed)', `${fixed(wallS, 2)} s`],
    ['files/s (overall)', fixed(files / wallS, 1)],
    ['files/s (steady state, 10th→90th pct)', fixed(steadyRate, 1)],
    ['submitOrder returned after', `${submitReturnedAt - submittedAt} ms`],
    ['first product requested / all requested', `${since(requested[0] ?? NaN)} / ${since(requested.at(-1) ?? NaN)}`],
    ['first product downloading / all', `${since(downloading[0] ?? NaN)} / ${since(downloading.at(-1) ?? NaN)}`],
    ['first file complete / last', `${since(firstFile)} / ${since(lastFile)}`],
    [
      'last file ended → last product complete → order completed',
      `${since(lastFileEnded)} → ${since(lastProductEnded)} → ${since(finishedAt)}`,
    ],
    [
      'download job (downloading→complete)',
      `p50 ${fixed(quantile(durations, 0.5), 0)} ms, p95 ${fixed(quantile(durations, 0.95), 0)} ms, max ${fixed(durations.at(-1) ?? NaN, 0)} ms`,
    ],
    ['mean downloads in flight', fixed(busyMs / (lastFile - firstDownloadStart), 2)],
    ['retries recorded', String(retries)],
    [
      'sanity: requests == products',
      `${count('request')} == ${view.productCount}: ${verdict(count('request') === view.productCount)}`,
    ],
    ['sanity: downloads == files', `${downloadsOk} == ${files}: ${verdict(downloadsOk === files)}`],
    [
      'ONC calls by method/status',
      [...byStatus]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
    ],
    [
      'machine CPU (all processes, /proc/stat)',
      machineShares
        ? (['user', 'system', 'iowait', 'steal', 'idle'] as const)
            .map((kind) => `${kind} ${fixed(machineShares[kind], 0)}%`)
            .join(', ')
        : 'n/a',
    ],
    ['CPU onc-sim', share(simCpu)],
    ...workerCpu.map((cpu, i): [string, string] => [`CPU worker-${i + 1}`, share(cpu)]),
    ['CPU bench (submit + polling)', share(benchCpu)],
    ['CPU redis-server (server-wide)', share(redisUsed.cpuSeconds)],
    ...(store
      ? [['CPU postgres (server and backends, ended ones included)', share(postgresCpu)] as [string, string]]
      : []),
    [
      'CPU of everything else on the machine',
      machineBusy === undefined ? 'n/a' : share(Math.max(0, machineBusy - ownCpu)),
    ],
    [
      `CPU per file (workers + onc-sim + redis + bench${store ? ' + postgres' : ''})`,
      `${fixed((1000 * ownCpu) / files, 1)} ms = ${fixed((1000 * workerCpu.reduce((sum, cpu) => sum + cpu, 0)) / files, 1)} + ` +
        `${fixed((1000 * simCpu) / files, 1)} + ${fixed((1000 * redisUsed.cpuSeconds) / files, 1)} + ${fixed((1000 * benchCpu) / files, 1)}` +
        (store ? ` + ${fixed((1000 * postgresCpu) / files, 1)}` : '') +
        ` → CPU-bound ceiling on ${cores} cores ≈ ${fixed((cores * files) / ownCpu, 0)} files/s`,
    ],
    [
      'redis commands (server-wide)',
      `${redisUsed.commands} (${fixed(redisUsed.commands / Math.max(files, 1), 1)} per file); top: ${redisUsed.byCommand
        .slice(0, 6)
        .map((c) => `${c.command} ${c.calls}`)
        .join(', ')}`,
    ],
    [
      'worker peak RSS (VmHWM, whole life)',
      workerPeakRss.map((bytes) => (bytes === undefined ? 'n/a' : `${fixed(bytes / MB, 1)} MB`)).join(', '),
    ],
    ['worker exits', exits.map((e) => e.code ?? e.signal).join(', ')],
  ];
  if (settings.mode === 'fast') {
    rows.push(['target ≥ 500 files/s (overall)', verdict(files / wallS >= 500)]);
  } else {
    const processingS = (settings.queuedMs + settings.runningMs) / 1000;
    const boundS = processingS + totalBytes / (settings.bandwidth * settings.maxDownloads);
    rows.push(
      [
        'bound = queue + processing + bytes / (bandwidth × ONC_MAX_DOWNLOADS)',
        `${fixed(processingS, 1)} s + ${fixed(totalBytes / MB, 1)} MB / (${fixed(settings.bandwidth / MB, 2)} MB/s × ${settings.maxDownloads}) = ${fixed(boundS, 2)} s`,
      ],
      ['wall / bound', fixed(wallS / boundS, 3)],
      [`target ≤ ${boundTargets[settings.mode]} × the bound`, verdict(wallS <= boundTargets[settings.mode] * boundS)],
    );
  }
  const foreignShare = machineBusy === undefined ? 0 : Math.max(0, machineBusy - ownCpu) / (windowS * cores);
  if (foreignShare > 0.1) {
    rows.push([
      'NOTE',
      `other processes used ${fixed(100 * foreignShare, 0)}% of the machine during this run: its timings are pessimistic; run it again`,
    ]);
  }
  printRows(
    `pipeline-throughput --mode ${settings.mode} --database ${dialect} (${new Date().toISOString()}, ${cores} cores)`,
    rows,
  );

  const timings = await jobTimings(queues, orderId);
  printRows(
    'BullMQ jobs (from the completed jobs): wait = picked up − due, run = finished − picked up (last attempt)',
    timings.map((t): [string, string] => [
      `${t.kind} ×${t.count}`,
      `wait p50 ${fixed(t.waitP50, 0)} ms, p95 ${fixed(t.waitP95, 0)} ms; run p50 ${fixed(t.runP50, 0)} ms, p95 ${fixed(t.runP95, 0)} ms, total ${fixed(t.runTotalMs / 1000, 1)} s over ${fixed(t.spanMs / 1000, 1)} s` +
        (t.kind === 'download'
          ? ` (${fixed((t.runTotalMs / (t.spanMs * settings.maxDownloads)) * 100, 0)}% of the ${settings.maxDownloads} slots)`
          : ''),
    ]),
  );
  if (flags.probe)
    printProbeReports(
      probes,
      workers.map((w) => w.name),
      flags['probe-statements'] ? 60 : 12,
    );

  if (flags['cpu-prof']) {
    // The simulator writes its profile when it exits; it has answered everything the report needed.
    await sim.stop();
    const profiles = (await readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile'));
    for (const name of profiles) {
      const summary = await summariseProfile(join(profileDir, name));
      const busy = summary.totalMs - summary.idleMs;
      printRows(`CPU profile ${name}: ${fixed(busy / 1000, 2)} s busy of ${fixed(summary.totalMs / 1000, 2)} s`, [
        ...summary.byOrigin
          .slice(0, 12)
          .map((o): [string, string] => [o.origin, `${fixed(o.ms, 0)} ms (${fixed((100 * o.ms) / busy, 1)}%)`]),
        ['— top functions (self time) —', ''],
        ...summary.byFunction.map((f): [string, string] => [f.name, `${fixed(f.ms, 0)} ms`]),
      ]);
      if (flags['profile-dir']) {
        await mkdir(flags['profile-dir'], { recursive: true });
        await copyFile(join(profileDir, name), join(flags['profile-dir'], name));
      }
    }
    if (flags['profile-dir']) log(`profiles copied to ${flags['profile-dir']}`);
  }
  process.stdout.write(
    `RESULT ${JSON.stringify({ mode: settings.mode, database: dialect, products: view.productCount, files, wallS, filesPerS: files / wallS, steadyRate, retries, mismatches })}\n`,
  );
  if (view.status !== 'completed' || mismatches > 0)
    throw new Error(`order ended ${view.status} with ${mismatches} mismatching files`);
});
