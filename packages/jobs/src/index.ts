// The source-neutral core of the orchestrator: state in SQLite, jobs on BullMQ, sources behind one port.
export type * from './sources/source-port.js';
export { SourceRegistry, type DisabledSource } from './sources/source-registry.js';
export type { SourceViews } from './sources/source-views.js';
export { SourceUnavailableError } from './sources/source-unavailable-error.js';
export { openDatabase, type OpenedDatabase } from './db/open-database.js';
export { openReadOnlyDatabase } from './db/open-read-only-database.js';
export type { SqliteDatabase, PostgresDatabase } from './db/open-database.js';
export { openPostgresDatabase, type PostgresOptions } from './db/open-postgres-database.js';
export {
  openStateStore,
  openStateStoreForReads,
  stateStoreLocation,
  type StateStoreLocation,
} from './db/open-state-store.js';
export { applyPgMigrations, defaultPgMigrationsFolder } from './db/apply-pg-migrations.js';
export { tablesOf, dialectOf, type Dialect, type Tables } from './db/tables.js';
export { applyMigrations, defaultMigrationsFolder } from './db/apply-migrations.js';
export type { AppDatabase } from './db/database.js';
export { createWriteBatcher, type WriteBatcher, type WriteWork } from './db/write-batcher.js';
export { inWriteTransaction, type TransactionWork } from './db/write-transaction.js';
export * as schema from './db/schema.js';
export { pipelineConfig, defaultPipelineConfig, type PipelineConfig } from './pipeline-config.js';
export type { PipelineContext } from './pipeline-context.js';
export { Failpoints, coreFailpointNames } from './failpoints.js';
export { SettlesInFlight } from './progress/settles-in-flight.js';
export { FleetRateLimiter, defaultArrivalJitterMs } from './politeness/fleet-rate-limiter.js';
export { FleetSemaphore } from './politeness/fleet-semaphore.js';
export { TransientFailure } from './retry/transient-failure.js';
export { retryReasons, retryReasonOfStatus, type RetryReason } from './retry/retry-reason.js';
export { retryReasonOf } from './retry/retry-reason-of.js';
export { PipelineMetrics, metricsPrefix } from './metrics/pipeline-metrics.js';
export type { JobOutcome } from './metrics/job-outcome.js';
export {
  callAnswerOf,
  outcomeClassOf,
  silentServiceObserver,
  type CallAnswer,
  type CallFailure,
  type CallOutcomeClass,
  type PolitenessCap,
  type ServiceObserver,
} from './metrics/service-observer.js';
export { addStateMetrics } from './metrics/state-metrics.js';
export { startMetricsServer, type MetricsServer } from './metrics/metrics-server.js';
export {
  createQueues,
  enqueue,
  jobIdFor,
  controlQueueName,
  downloadsQueueName,
  type PipelineQueues,
} from './queues/pipeline-queues.js';
export type { JobKind, JobPayloads, JobData } from './queues/job-kinds.js';
export { startPipelineWorkers, type PipelineWorkers } from './worker/worker-runtime.js';
export { defaultSourceName, orderLabelSchema, printableText, parseOrderSpec } from './orders/order-spec.js';
export { OrderSpecError, OrderTooLargeError, type SpecIssue } from './orders/order-spec-error.js';
export { IdempotencyConflictError } from './orders/idempotency-conflict-error.js';
export { submitOrder, type SubmitDependencies, type SubmitResult } from './orders/submit-order.js';
export { checkOrder, type OrderCheckReport } from './orders/check-order.js';
export { getOrderView, listOrders, getOrderEvents, UnknownCursorError } from './orders/order-view.js';
export { getProductPage, type ProductPage, type ProductPageQuery } from './orders/product-page.js';
export { getProductJobs, type ProductJob } from './orders/product-jobs.js';
export {
  viewSchemasFor,
  fileViewBase,
  productViewBase,
  orderSummaryBase,
  progressSchema,
  serviceErrorSchema,
  orderEventSchema,
  notifyViewSchema,
  type OrderView,
  type OrderSummary,
  type ProductView,
  type FileView,
  type OrderEvent,
} from './orders/order-view-schema.js';
export { buildManifest } from './orders/manifest.js';
export { safeFileName } from './download/safe-file-name.js';
export { OrderStatus } from './state/order-status.js';
export { ProductStatus } from './state/product-status.js';
export { FileStatus } from './state/file-status.js';
export { IllegalTransitionError } from './state/illegal-transition-error.js';
export { cancelOrder, type CancelResult, type OrderControlDependencies } from './orders/cancel-order.js';
export { restartOrder, type RestartResult } from './orders/restart-order.js';
export {
  parseEnvironment,
  parseSettings,
  positiveInt,
  booleanSetting,
  environmentSchema,
  type Environment,
} from './runtime/environment.js';
export { createRuntime, redactedLogPaths, type Runtime, type SourceDependencies } from './runtime/create-runtime.js';
export { reconcile, startReconciler, takeReconcileTurn } from './reconciler.js';
export { findOrder } from './db/repository.js';
export {
  notifySchema,
  webhookUrlSchema,
  webhookEventTypes,
  type NotifyTarget,
  type WebhookEventType,
} from './webhooks/notify-spec.js';
export type { WebhookBody, WebhookOrderData } from './webhooks/webhook-outbox.js';
export { webhookSenderSettings, type WebhookSenderSettings } from './webhooks/webhook-settings.js';
export { startWebhookSender, sendDueWebhooks, nextTryDelayMs } from './webhooks/webhook-sender.js';
