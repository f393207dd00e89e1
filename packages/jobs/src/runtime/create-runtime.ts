import { resolve } from 'node:path';
import { OncClient } from '@onc-orders/onc-client';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { openDatabase, type OpenedDatabase } from '../db/open-database.js';
import { createWriteBatcher } from '../db/write-batcher.js';
import { Failpoints } from '../failpoints.js';
import { pipelineConfig, type PipelineConfig } from '../pipeline-config.js';
import type { PipelineContext } from '../pipeline-context.js';
import { FleetRateLimiter } from '../politeness/fleet-rate-limiter.js';
import { createQueues, type PipelineQueues } from '../queues/pipeline-queues.js';
import type { Environment } from './environment.js';

export interface Runtime {
  environment: Environment;
  config: PipelineConfig;
  database: OpenedDatabase;
  redis: Redis;
  queues: PipelineQueues;
  client: OncClient;
  logger: Logger;
  context: PipelineContext;
  close(): Promise<void>;
}

/** Token sent to a simulator when no ONC token is configured: onc-sim accepts any non-empty token. */
const simulatorToken = 'onc-sim-token';

/**
 * Wires the pieces both apps need from the environment: SQLite (migrated), Redis, the queues, the ONC client with
 * the fleet-wide call limit, and a logger that redacts the token wherever it might appear.
 */
export function createRuntime(environment: Environment, options: { name: string; logger?: Logger }): Runtime {
  const usingRealOnc = new URL(environment.ONC_BASE_URL).hostname.endsWith('oceannetworks.ca');
  if (!environment.ONC_TOKEN && usingRealOnc) {
    throw new Error('ONC_TOKEN is required to talk to ONC (or set ONC_BASE_URL to an onc-sim address)');
  }
  const token = environment.ONC_TOKEN ?? simulatorToken;
  const logger =
    options.logger ??
    pino({
      name: options.name,
      level: environment.LOG_LEVEL,
      redact: {
        paths: ['token', '*.token', 'env.ONC_TOKEN', 'headers.authorization', 'req.headers.authorization'],
        censor: 'REDACTED',
      },
    });
  const config = pipelineConfig({
    downloadDir: resolve(environment.DOWNLOAD_DIR),
    queuePrefix: environment.QUEUE_PREFIX,
    maxProductsPerOrder: environment.ORDER_MAX_PRODUCTS,
    maxConcurrentDownloads: environment.ONC_MAX_DOWNLOADS,
    maxOncCallsPerSecond: environment.ONC_MAX_RPS,
    pollMinMs: environment.POLL_MIN_MS,
    pollMaxMs: environment.POLL_MAX_MS,
    maxAttempts: environment.MAX_ATTEMPTS,
    retryBaseMs: environment.RETRY_BASE_MS,
    goneRetries: environment.GONE_RETRIES,
    maxReorders: environment.MAX_REORDERS,
    downloadsPerProcess: environment.WORKER_DOWNLOAD_CONCURRENCY,
    controlJobsPerProcess: environment.WORKER_CONTROL_CONCURRENCY,
  });
  const database = openDatabase(resolve(environment.DATABASE_PATH));
  // BullMQ needs maxRetriesPerRequest null on its connections so blocking commands survive reconnects.
  const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queues = createQueues(redis, { prefix: config.queuePrefix, maxAttempts: config.maxAttempts });
  const limiter = new FleetRateLimiter(redis, `${config.queuePrefix}:onc-calls`, config.maxOncCallsPerSecond);
  const client = new OncClient({
    token,
    baseUrl: environment.ONC_BASE_URL,
    urlStyle: environment.ONC_URL_STYLE,
    beforeCall: () => limiter.acquire(),
    onCall: (call) =>
      logger.debug({ onc: call }, `ONC ${call.method} → ${call.httpStatus ?? 'no answer'} (${call.outcome})`),
  });
  const context: PipelineContext = {
    db: database.db,
    writes: createWriteBatcher(database),
    queues,
    client,
    config,
    logger,
    failpoints: new Failpoints(environment.FAILPOINTS),
  };
  return {
    environment,
    config,
    database,
    redis,
    queues,
    client,
    logger,
    context,
    close: async () => {
      await queues.close();
      await client.close();
      redis.disconnect();
      database.close();
    },
  };
}
