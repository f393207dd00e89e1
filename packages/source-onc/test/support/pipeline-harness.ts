import { OncClient } from '@onc-orders/onc-client';
import { startOncSimulator, type OncSimulator, type OncSimulatorOptions } from '@onc-orders/onc-sim';
import { deleteKeysWithPrefix, makeTempDir, redisUrlForTests, uniquePrefix, waitFor } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  createQueues,
  createWriteBatcher,
  Failpoints,
  getOrderView,
  openDatabase,
  pipelineConfig,
  startPipelineWorkers,
  submitOrder,
  type OpenedDatabase,
  type OrderView,
  type PipelineConfig,
  type PipelineContext,
  type PipelineQueues,
  type PipelineWorkers,
} from '../../src/index.js';

export interface PipelineHarness {
  sim: OncSimulator;
  ctx: PipelineContext;
  database: OpenedDatabase;
  queues: PipelineQueues;
  redis: Redis;
  redisUrl: string;
  downloadDir: string;
  workers?: PipelineWorkers;
  startWorkers(): Promise<PipelineWorkers>;
  submit(spec: unknown, idempotencyKey?: string): Promise<string>;
  waitForOrder(orderId: string, statuses?: readonly string[], timeoutMs?: number): Promise<OrderView>;
  close(): Promise<void>;
}

/**
 * The real pipeline in-process: the simulator over HTTP, a SQLite file, Redis queues under a prefix of their own,
 * and the BullMQ workers. Short poll bounds keep the tests quick.
 */
export async function startPipelineHarness(
  options: { sim?: OncSimulatorOptions; config?: Partial<PipelineConfig> } = {},
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
  const database = openDatabase(join(temp.path, 'state.sqlite'));
  const config = pipelineConfig({
    downloadDir,
    queuePrefix: prefix,
    pollMinMs: 20,
    pollMaxMs: 200,
    retryBaseMs: 20,
    maxConcurrentDownloads: 3,
    maxOncCallsPerSecond: 1_000,
    ...options.config,
  });
  const queues = createQueues(redis, { prefix, maxAttempts: config.maxAttempts });
  const client = new OncClient({ token: sim.token, baseUrl: sim.url });
  const ctx: PipelineContext = {
    db: database.db,
    writes: createWriteBatcher(database),
    queues,
    client,
    config,
    logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    failpoints: new Failpoints(''),
  };
  const harness: PipelineHarness = {
    sim,
    ctx,
    database,
    queues,
    redis,
    redisUrl,
    downloadDir,
    async startWorkers() {
      harness.workers = await startPipelineWorkers(ctx, redis);
      return harness.workers;
    },
    async submit(spec, idempotencyKey) {
      const result = await submitOrder(
        { db: database.db, queues, maxProductsPerOrder: config.maxProductsPerOrder },
        spec,
        idempotencyKey ? { idempotencyKey } : {},
      );
      return result.orderId;
    },
    waitForOrder(orderId, statuses = ['completed', 'failed', 'cancelled'], timeoutMs = 30_000) {
      return waitFor(
        `order ${orderId} to reach ${statuses.join('/')}`,
        () => {
          const view = getOrderView(database.db, orderId);
          return view && statuses.includes(view.status) ? view : undefined;
        },
        { timeoutMs },
      );
    },
    async close() {
      await harness.workers?.close({ deadlineMs: 1_000 });
      await queues.close();
      await client.close();
      redis.disconnect();
      database.close();
      await sim.close();
      await deleteKeysWithPrefix(redisUrl, prefix);
      await temp.remove();
    },
  };
  return harness;
}
