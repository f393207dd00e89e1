import type { OncClient } from '@onc-orders/onc-client';
import type { Logger } from 'pino';
import type { AppDatabase } from './db/database.js';
import type { WriteBatcher } from './db/write-batcher.js';
import type { Failpoints } from './failpoints.js';
import type { PipelineConfig } from './pipeline-config.js';
import type { PipelineQueues } from './queues/pipeline-queues.js';

/** What every job processor works with: the state, the queues, ONC, the settings. */
export interface PipelineContext {
  db: AppDatabase;
  /** The hot paths' writes, committed together per event-loop turn (see write-batcher.ts). */
  writes: WriteBatcher;
  queues: PipelineQueues;
  client: OncClient;
  config: PipelineConfig;
  logger: Logger;
  failpoints: Failpoints;
}
