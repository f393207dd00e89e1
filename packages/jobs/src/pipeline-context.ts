import type { Logger } from 'pino';
import type { AppDatabase } from './db/database.js';
import type { WriteBatcher } from './db/write-batcher.js';
import type { Failpoints } from './failpoints.js';
import type { PipelineMetrics } from './metrics/pipeline-metrics.js';
import type { PipelineConfig } from './pipeline-config.js';
import type { PipelineQueues } from './queues/pipeline-queues.js';
import type { SettlesInFlight } from './progress/settles-in-flight.js';
import type { SourceRegistry } from './sources/source-registry.js';

/** What every job processor works with: the state, the queues, the sources, the settings. */
export interface PipelineContext {
  db: AppDatabase;
  /** The hot paths' writes, committed together per event-loop turn (see write-batcher.ts). */
  writes: WriteBatcher;
  queues: PipelineQueues;
  sources: SourceRegistry;
  config: PipelineConfig;
  logger: Logger;
  failpoints: Failpoints;
  /** This process's metrics: what its jobs came to, bytes downloaded, retries. */
  metrics: PipelineMetrics;
  /** The product settles this process is running (see settles-in-flight.ts). */
  settles: SettlesInFlight;
}
