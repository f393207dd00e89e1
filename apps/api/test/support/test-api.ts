import { join } from 'node:path';
import {
  addStateMetrics,
  createQueues,
  openStateStore,
  PipelineMetrics,
  type OpenedDatabase,
  type PipelineQueues,
  type SourceRegistry,
} from '@onc-orders/jobs';
import { configureSources } from '@onc-orders/sources';
import {
  createTestStateStore,
  deleteKeysWithPrefix,
  makeTempDir,
  redisUrlForTests,
  uniquePrefix,
  type TestStateStore,
} from '@onc-orders/testkit';
import { pino, type Logger } from 'pino';
import type { ApiServer } from '../../src/api-server.js';
import type { AppDependencies } from '../../src/app-dependencies.js';
import { buildApp } from '../../src/build-app.js';
import { Redis } from './redis-client.js';

export interface TestApi {
  app: ApiServer;
  deps: AppDependencies;
  database: OpenedDatabase;
  /** Where `database` lives (TEST_DATABASE picks SQLite or PostgreSQL). */
  store: TestStateStore;
  queues: PipelineQueues;
  sources: SourceRegistry;
  /** Builds a second app on the same database and queues, differing only in `overrides`. */
  buildVariant(overrides: Partial<AppDependencies>): Promise<ApiServer>;
  close(): Promise<void>;
}

/**
 * The API over a real database (a SQLite file in a temporary folder, or a PostgreSQL database of its own) and real BullMQ queues under a Redis prefix no other test
 * uses. No worker runs, so submitted jobs just wait in their queue. `close` removes everything it made.
 */
export async function startTestApi(
  options: {
    apiKeys?: string[];
    maxProductsPerOrder?: number;
    logger?: Logger;
    /** The sources' settings; by default ONC at an address no test calls (no worker runs here). */
    sourceEnv?: Record<string, string>;
    /** Whether /metrics carries the fleet's state, as `pnpm api` does by default. Default true. */
    exportStateMetrics?: boolean;
  } = {},
): Promise<TestApi> {
  const redisUrl = await redisUrlForTests();
  const prefix = uniquePrefix('api');
  const temp = await makeTempDir('api');
  const store = await createTestStateStore(temp.path);
  const database = await openStateStore(store);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // Without Node's process metrics: every test builds an app, and they say nothing about the API.
  const metrics = new PipelineMetrics({ processMetrics: false });
  const logger = options.logger ?? pino({ level: 'silent' });
  const sources = configureSources(options.sourceEnv ?? { ONC_BASE_URL: 'http://127.0.0.1:9' }, {
    redis,
    queuePrefix: prefix,
    logger: pino({ level: 'silent' }),
    observer: metrics,
  });
  const queues = createQueues(redis, {
    prefix,
    maxAttempts: 3,
    services: sources.services().map((service) => service.name),
  });
  const deps: AppDependencies = {
    db: database.db,
    database,
    redis,
    queues,
    sources,
    config: { maxProductsPerOrder: options.maxProductsPerOrder ?? 1_000, downloadDir: join(temp.path, 'downloads') },
    apiKeys: options.apiKeys ?? [],
    logger,
    metrics,
  };
  if (options.exportStateMetrics !== false) addStateMetrics(metrics, { db: database.db, queues, logger });
  const variants: ApiServer[] = [];
  const app = await buildApp(deps);
  return {
    app,
    deps,
    database,
    store,
    queues,
    sources,
    buildVariant: async (overrides) => {
      const variant = await buildApp({ ...deps, ...overrides });
      variants.push(variant);
      return variant;
    },
    close: async () => {
      await Promise.all([app.close(), ...variants.map((variant) => variant.close())]);
      await queues.close();
      await sources.close();
      redis.disconnect();
      await database.close();
      await store.drop();
      await deleteKeysWithPrefix(redisUrl, prefix);
      await temp.remove();
    },
  };
}
