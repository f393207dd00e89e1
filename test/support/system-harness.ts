import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startOncSimulator, type OncSimulator, type OncSimulatorOptions } from '@onc-orders/onc-sim';
import {
  createTestStateStore,
  deleteKeysWithPrefix,
  type TestDialect,
  freePort,
  makeTempDir,
  redisUrlForTests,
  uniquePrefix,
  waitFor,
} from '@onc-orders/testkit';
import {
  createQueues,
  getOrderView,
  openStateStore,
  submitOrder,
  type OpenedDatabase,
  type OrderControlDependencies,
  type PipelineQueues,
  type SourceRegistry,
} from '@onc-orders/jobs';
import type { DataProductsOrderView } from '@onc-orders/source-onc';
import { configureSources } from '@onc-orders/sources';
import { pino } from 'pino';
import { startApp, type AppProcess } from './processes.js';

export interface SystemHarness {
  sim: OncSimulator;
  env: Record<string, string>;
  dir: string;
  downloadDir: string;
  database: OpenedDatabase;
  queues: PipelineQueues;
  sources: SourceRegistry;
  /** What cancel and restart need, in this test process. */
  control: OrderControlDependencies;
  redis: Redis;
  prefix: string;
  processes: AppProcess[];
  startWorker(extraEnv?: Record<string, string>, name?: string): AppProcess;
  startApi(extraEnv?: Record<string, string>): Promise<{ process: AppProcess; url: string }>;
  submit(spec: unknown): Promise<string>;
  view(orderId: string): Promise<DataProductsOrderView | undefined>;
  waitForOrder(orderId: string, statuses?: readonly string[], timeoutMs?: number): Promise<DataProductsOrderView>;
  close(): Promise<void>;
}

/**
 * The system as it runs for real: api and worker as separate processes (the built apps), sharing a SQLite file and a
 * Redis prefix, talking over HTTP to the simulator running in the test process.
 */
export async function startSystemHarness(
  options: {
    sim?: OncSimulatorOptions;
    env?: Record<string, string>;
    /** Where the state lives; the one TEST_DATABASE names unless told. */
    dialect?: TestDialect;
  } = {},
): Promise<SystemHarness> {
  const sim = await startOncSimulator({
    ...options.sim,
    behaviour: { queuedMs: 0, runningMs: 50, ...options.sim?.behaviour },
  });
  const temp = await makeTempDir('system');
  const redisUrl = await redisUrlForTests();
  const prefix = uniquePrefix('system');
  const store = await createTestStateStore(temp.path, options.dialect);
  const downloadDir = join(temp.path, 'downloads');
  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    ONC_BASE_URL: sim.url,
    ONC_TOKEN: sim.token,
    ...store.environment,
    DOWNLOAD_DIR: downloadDir,
    QUEUE_PREFIX: prefix,
    ONC_MAX_RPS: '200',
    POLL_MIN_MS: '50',
    POLL_MAX_MS: '500',
    RETRY_BASE_MS: '50',
    RECONCILE_INTERVAL_MS: '2000',
    SHUTDOWN_DEADLINE_MS: '3000',
    ...options.env,
  };
  const database = await openStateStore(store);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // The sources as the processes configure them from the same environment: to submit and read orders here.
  const sources = configureSources(env, { redis, queuePrefix: prefix, logger: pino({ level: 'silent' }) });
  const queues = createQueues(redis, {
    prefix,
    maxAttempts: 8,
    services: sources.services().map((service) => service.name),
  });
  const processes: AppProcess[] = [];
  const harness: SystemHarness = {
    sim,
    env,
    dir: temp.path,
    downloadDir,
    database,
    queues,
    sources,
    control: { db: database.db, queues, sources, redis, downloadDir },
    redis,
    prefix,
    processes,
    startWorker(extraEnv = {}, name = 'worker') {
      const process = startApp('worker', { ...env, ...extraEnv }, temp.path, name);
      processes.push(process);
      return process;
    },
    async startApi(extraEnv = {}) {
      const port = await freePort();
      const process = startApp('api', { ...env, PORT: String(port), HOST: '127.0.0.1', ...extraEnv }, temp.path, 'api');
      processes.push(process);
      const url = `http://127.0.0.1:${port}`;
      await waitFor('the API to answer /healthz', async () => {
        const answer = await fetch(`${url}/healthz`).catch(() => undefined);
        return answer?.ok ? true : undefined;
      });
      return { process, url };
    },
    async submit(spec) {
      return (await submitOrder({ db: database.db, queues, sources, maxProductsPerOrder: 10_000 }, spec)).orderId;
    },
    async view(orderId) {
      return (await getOrderView(database.db, sources, orderId)) as DataProductsOrderView | undefined;
    },
    waitForOrder(orderId, statuses = ['completed', 'failed', 'cancelled'], timeoutMs = 60_000) {
      return waitFor(
        `order ${orderId} to reach ${statuses.join('/')}`,
        async () => {
          const view = await harness.view(orderId);
          return view && statuses.includes(view.status) ? view : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async close() {
      await Promise.all(processes.map((process) => process.kill('SIGKILL')));
      await queues.close();
      await sources.close();
      redis.disconnect();
      await database.close();
      await store.drop();
      await sim.close();
      await deleteKeysWithPrefix(redisUrl, prefix);
      // KEEP_TEST_DIRS=1 keeps the processes' logs and state for a post-mortem.
      if (process.env['KEEP_TEST_DIRS']) process.stderr.write(`kept ${temp.path}\n`);
      else await temp.remove();
    },
  };
  return harness;
}
