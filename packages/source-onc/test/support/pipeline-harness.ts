import { startOncSimulator, type OncSimulator, type OncSimulatorOptions } from '@onc-orders/onc-sim';
import {
  createTestStateStore,
  deleteKeysWithPrefix,
  makeTempDir,
  redisUrlForTests,
  uniquePrefix,
  waitFor,
} from '@onc-orders/testkit';
import {
  createQueues,
  createWriteBatcher,
  Failpoints,
  getOrderView,
  openStateStore,
  pipelineConfig,
  PipelineMetrics,
  SettlesInFlight,
  SourceRegistry,
  startPipelineWorkers,
  submitOrder,
  type OpenedDatabase,
  type OrderControlDependencies,
  type PipelineConfig,
  type PipelineContext,
  type PipelineQueues,
  type PipelineWorkers,
} from '@onc-orders/jobs';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  createArchiveFilesSource,
  createDataProductsSource,
  createOncService,
  parseOncSettings,
  type DataProductsOrderView,
} from '../../src/index.js';

export interface PipelineHarness {
  sim: OncSimulator;
  ctx: PipelineContext;
  database: OpenedDatabase;
  queues: PipelineQueues;
  redis: Redis;
  redisUrl: string;
  downloadDir: string;
  /** What cancel and restart need, for this harness's order. */
  control: OrderControlDependencies;
  workers?: PipelineWorkers;
  startWorkers(): Promise<PipelineWorkers>;
  submit(spec: unknown, idempotencyKey?: string): Promise<string>;
  view(orderId: string): Promise<DataProductsOrderView | undefined>;
  waitForOrder(orderId: string, statuses?: readonly string[], timeoutMs?: number): Promise<DataProductsOrderView>;
  close(): Promise<void>;
}

/**
 * The real pipeline in-process with the ONC sources (data products and archived files): the simulator over HTTP, a SQLite file, Redis
 * queues under a prefix of their own, and the BullMQ workers. Short poll bounds keep the tests quick.
 */
export async function startPipelineHarness(
  options: {
    sim?: OncSimulatorOptions;
    config?: Partial<PipelineConfig>;
    onc?: Record<string, string>;
    /** Runs before the database is opened: e.g. puts an older release's database and files in place. */
    prepare?: (paths: { databasePath: string; downloadDir: string }) => Promise<void>;
  } = {},
): Promise<PipelineHarness> {
  const sim = await startOncSimulator({
    ...options.sim,
    behaviour: { queuedMs: 0, runningMs: 30, ...options.sim?.behaviour },
  });
  const temp = await makeTempDir('pipeline');
  const downloadDir = join(temp.path, 'downloads');
  const redisUrl = await redisUrlForTests();
  const prefix = uniquePrefix('pipeline');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const store = await createTestStateStore(temp.path, options.prepare ? 'sqlite' : undefined);
  if (options.prepare) {
    // A scene made in a file of the previous release's: SQLite's, whatever the suite's dialect.
    if (store.dialect !== 'sqlite') throw new Error('prepare makes a SQLite file');
    await options.prepare({ databasePath: store.path, downloadDir });
  }
  const database = await openStateStore(store);
  const config = pipelineConfig({ downloadDir, queuePrefix: prefix, retryBaseMs: 20, ...options.config });
  const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const settings = parseOncSettings({
    ONC_BASE_URL: sim.url,
    ONC_TOKEN: sim.token,
    ONC_MAX_DOWNLOADS: '3',
    ONC_MAX_RPS: '1000',
    POLL_MIN_MS: '20',
    POLL_MAX_MS: '200',
    ...options.onc,
  });
  const metrics = new PipelineMetrics({ processMetrics: false });
  const service = createOncService(settings, { redis, queuePrefix: prefix, logger, observer: metrics });
  const source = createDataProductsSource(service);
  const sources = new SourceRegistry([source, createArchiveFilesSource(service)]);
  const queues = createQueues(redis, { prefix, maxAttempts: config.maxAttempts, services: [source.service.name] });
  const ctx: PipelineContext = {
    db: database.db,
    writes: createWriteBatcher(database),
    queues,
    sources,
    config,
    logger,
    failpoints: new Failpoints(''),
    metrics,
    settles: new SettlesInFlight(),
  };
  const harness: PipelineHarness = {
    sim,
    ctx,
    database,
    queues,
    redis,
    redisUrl,
    downloadDir,
    control: { db: database.db, queues, sources, redis, downloadDir },
    async startWorkers() {
      harness.workers = await startPipelineWorkers(ctx, redis);
      return harness.workers;
    },
    async submit(spec, idempotencyKey) {
      const result = await submitOrder(
        { db: database.db, queues, sources, maxProductsPerOrder: config.maxProductsPerOrder },
        spec,
        idempotencyKey ? { idempotencyKey } : {},
      );
      return result.orderId;
    },
    view: async (orderId) => (await getOrderView(database.db, sources, orderId)) as DataProductsOrderView | undefined,
    waitForOrder(orderId, statuses = ['completed', 'failed', 'cancelled'], timeoutMs = 30_000) {
      return waitFor(
        `order ${orderId} to reach ${statuses.join('/')}`,
        async () => {
          const view = await harness.view(orderId);
          return view && statuses.includes(view.status) ? view : undefined;
        },
        { timeoutMs },
      );
    },
    async close() {
      await harness.workers?.close({ deadlineMs: 1_000 });
      await queues.close();
      await source.close?.();
      redis.disconnect();
      await database.close();
      await store.drop();
      await sim.close();
      await deleteKeysWithPrefix(redisUrl, prefix);
      await temp.remove();
    },
  };
  return harness;
}
