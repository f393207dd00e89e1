import type {
  AppDatabase,
  OpenedDatabase,
  OrderControlDependencies,
  PipelineConfig,
  PipelineMetrics,
  PipelineQueues,
  SourceRegistry,
} from '@onc-orders/jobs';
import type { Logger } from 'pino';
import type { OrderReads } from './reads/order-reads.js';

/**
 * What the HTTP API needs from the runtime. `main.ts` takes it from `createRuntime`; tests build it from a temporary
 * database and queues under their own Redis prefix.
 */
export interface AppDependencies {
  db: AppDatabase;
  /** The state store's dialect and its `select 1`, for the health check. */
  database: Pick<OpenedDatabase, 'dialect' | 'ping'>;
  /** Publishes cancel messages to the workers and answers the health check's ping. */
  redis: OrderControlDependencies['redis'];
  queues: PipelineQueues;
  /** The sources this deployment serves (and the ones it knows but has no settings for). */
  sources: SourceRegistry;
  config: Pick<PipelineConfig, 'maxProductsPerOrder' | 'downloadDir'>;
  /** Bearer keys; when empty the API is open to anyone who can reach it. */
  apiKeys: readonly string[];
  logger: Logger;
  /** This process's metrics, served on /metrics (with the fleet's state when the caller added it). */
  metrics: PipelineMetrics;
  /** How long `POST /orders` waits for Redis to take the new order's first job, in ms. Default 2,000. */
  enqueueTimeoutMs?: number;
  /** Where orders that name no `notify` announce their end (WEBHOOK_URL). */
  defaultWebhookUrl?: string | undefined;
  /** How long the health check waits for Redis to answer before calling it failed, in ms. Default 2,000. */
  healthCheckTimeoutMs?: number;
  /**
   * Where the order views are read: the read threads `main.ts` starts (reads/read-threads.ts). Without them, on `db`
   * on the event loop (inline-order-reads.ts). The app does not close them.
   */
  reads?: OrderReads;
}

/** What the order routes are given: the app's dependencies, with the reads settled. */
export type RouteDependencies = AppDependencies & { reads: OrderReads };
