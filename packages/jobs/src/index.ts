// The order pipeline: state in SQLite, jobs on BullMQ, ONC through @onc-orders/onc-client.
export { openDatabase, type OpenedDatabase } from './db/open-database.js';
export { applyMigrations, defaultMigrationsFolder } from './db/apply-migrations.js';
export type { AppDatabase } from './db/database.js';
export { createWriteBatcher, type WriteBatcher, type WriteWork } from './db/write-batcher.js';
export * as schema from './db/schema.js';
export { pipelineConfig, defaultPipelineConfig, type PipelineConfig } from './pipeline-config.js';
export type { PipelineContext } from './pipeline-context.js';
export { Failpoints, failpointNames, type FailpointName } from './failpoints.js';
export { FleetRateLimiter } from './politeness/fleet-rate-limiter.js';
export { createQueues, enqueue, jobIdFor, type PipelineQueues } from './queues/pipeline-queues.js';
export { QueueName, type JobKind, type JobPayloads, type JobData } from './queues/job-kinds.js';
export { startPipelineWorkers, type PipelineWorkers } from './worker-runtime.js';
export { orderSpecSchema, type OrderSpec, type OrderSpecInput } from './orders/order-spec.js';
export { OrderSpecError, OrderTooLargeError, type SpecIssue } from './orders/order-spec-error.js';
export { IdempotencyConflictError } from './orders/idempotency-conflict-error.js';
export { submitOrder, parseOrderSpec, type SubmitDependencies, type SubmitResult } from './orders/submit-order.js';
export { expandOrder } from './orders/expand-order.js';
export {
  getOrderView,
  listOrders,
  getOrderEvents,
  UnknownCursorError,
  type OrderView,
  type OrderSummary,
  type ProductView,
  type FileView,
} from './orders/order-view.js';
export { buildManifest } from './orders/manifest.js';
export { safeFileName } from './download/safe-file-name.js';
export { OrderStatus } from './state/order-status.js';
export { ProductStatus } from './state/product-status.js';
export { FileStatus } from './state/file-status.js';
export { IllegalTransitionError } from './state/illegal-transition-error.js';
export { cancelOrder, type CancelResult, type OrderControlDependencies } from './orders/cancel-order.js';
export { restartOrder, type RestartResult } from './orders/restart-order.js';
export { parseEnvironment, environmentSchema, apiKeysOf, type Environment } from './runtime/environment.js';
export { createRuntime, type Runtime } from './runtime/create-runtime.js';
export { reconcile, startReconciler, takeReconcileTurn } from './reconciler.js';
export { findOrder } from './db/repository.js';
