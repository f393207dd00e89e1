import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import type { OpenedDatabase } from '../db/open-database.js';
import { openStateStore, stateStoreLocation } from '../db/open-state-store.js';
import { createWriteBatcher } from '../db/write-batcher.js';
import { coreFailpointNames, Failpoints } from '../failpoints.js';
import { pipelineConfig, type PipelineConfig } from '../pipeline-config.js';
import type { PipelineContext } from '../pipeline-context.js';
import { SettlesInFlight } from '../progress/settles-in-flight.js';
import { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { ServiceObserver } from '../metrics/service-observer.js';
import { createQueues, type PipelineQueues } from '../queues/pipeline-queues.js';
import type { SourceRegistry } from '../sources/source-registry.js';
import type { Environment } from './environment.js';

/**
 * What a source needs from the runtime to be built: Redis for its fleet-wide limits, the prefix, a logger, and the
 * observer its clients tell about each call and each wait for a fleet-wide cap (the process's metrics; none in tools
 * and tests that build a source alone).
 */
export interface SourceDependencies {
  redis: Redis;
  queuePrefix: string;
  logger: Logger;
  observer?: ServiceObserver;
}

export interface Runtime {
  environment: Environment;
  config: PipelineConfig;
  database: OpenedDatabase;
  redis: Redis;
  queues: PipelineQueues;
  sources: SourceRegistry;
  logger: Logger;
  /** This process's metrics; the apps serve them and may add the fleet's state to them (addStateMetrics). */
  metrics: PipelineMetrics;
  context: PipelineContext;
  close(): Promise<void>;
}

/** Log fields that may hold a credential in any source's or library's log line; censored wherever they appear. */
export const redactedLogPaths = [
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'headers.authorization',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'req.headers["x-api-key"]',
  'WEBHOOK_SECRET',
  '*.WEBHOOK_SECRET',
  'secret',
  '*.secret',
];

/**
 * Wires the pieces both apps need from the environment: the state store (SQLite, or PostgreSQL when DATABASE_URL is
 * set; migrated), Redis, the sources the environment
 * configures, their queues, and a logger that censors credentials wherever they might appear.
 */
export async function createRuntime(
  environment: Environment,
  options: { name: string; logger?: Logger; sources: (deps: SourceDependencies) => SourceRegistry },
): Promise<Runtime> {
  const logger =
    options.logger ??
    pino({ name: options.name, level: environment.LOG_LEVEL, redact: { paths: redactedLogPaths, censor: 'REDACTED' } });
  const config = pipelineConfig({
    downloadDir: resolve(environment.DOWNLOAD_DIR),
    queuePrefix: environment.QUEUE_PREFIX,
    maxProductsPerOrder: environment.ORDER_MAX_PRODUCTS,
    maxAttempts: environment.MAX_ATTEMPTS,
    retryBaseMs: environment.RETRY_BASE_MS,
    goneRetries: environment.GONE_RETRIES,
    maxReorders: environment.MAX_REORDERS,
    downloadsPerProcess: environment.WORKER_DOWNLOAD_CONCURRENCY,
    controlJobsPerProcess: environment.WORKER_CONTROL_CONCURRENCY,
  });
  // First: a database that cannot be reached or migrated stops the process before it holds anything else.
  const database = await openStateStore(stateStoreLocation(environment));
  // BullMQ needs maxRetriesPerRequest null on its connections so blocking commands survive reconnects.
  const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const metrics = new PipelineMetrics();
  const sources = options.sources({ redis, queuePrefix: config.queuePrefix, logger, observer: metrics });
  const failpoints = new Failpoints(environment.FAILPOINTS, [...coreFailpointNames, ...sources.failpointNames()]);
  const queues = createQueues(redis, {
    prefix: config.queuePrefix,
    maxAttempts: config.maxAttempts,
    services: sources.services().map((service) => service.name),
  });
  const context: PipelineContext = {
    db: database.db,
    writes: createWriteBatcher(database),
    queues,
    sources,
    config,
    logger,
    failpoints,
    metrics,
    settles: new SettlesInFlight(),
  };
  return {
    environment,
    config,
    database,
    redis,
    queues,
    sources,
    logger,
    metrics,
    context,
    close: async () => {
      await queues.close();
      await sources.close();
      redis.disconnect();
      await database.close();
    },
  };
}
