import type { Job } from 'bullmq';
import type { PipelineContext } from '../pipeline-context.js';
import { cancelRemote } from '../processors/cancel-remote.js';
import { failFileForGood, fetchFile, type DownloadProgress } from '../processors/fetch-file.js';
import { finalizeOrder } from '../processors/finalize-order.js';
import type { JobResult } from '../processors/job-result.js';
import { prepareProduct } from '../processors/prepare-product.js';
import { startOrder } from '../processors/start-order.js';
import { failOrder } from '../progress/fail-order.js';
import { failProductForGood } from '../progress/fail-product.js';
import type { AnyJobData, JobData, JobKind } from '../queues/job-kinds.js';
import type { LeasedTable } from '../state/leases.js';

/** What a job gets to run with besides its data. */
export interface JobRun {
  job: Job<AnyJobData>;
  signal: AbortSignal | undefined;
  progress: DownloadProgress;
}

/** How the runtime runs one kind of job. Adding a job kind means adding one entry here. */
export interface JobHandler<K extends JobKind> {
  /** The row the job works on, leased for its duration so two copies of it never work on it at once. */
  lease(data: JobData<K>): { table: LeasedTable; id: number } | undefined;
  run(ctx: PipelineContext, data: JobData<K>, run: JobRun): Promise<JobResult>;
  /** Its last attempt failed: record the failure where it belongs (the product, the file, the order). */
  failForGood(ctx: PipelineContext, data: JobData<K>, message: string): Promise<void> | void;
}

export const jobHandlers: { [K in JobKind]: JobHandler<K> } = {
  expand: {
    lease: () => undefined,
    run: async (ctx, data, run) => {
      await startOrder(ctx, data.orderId, run.signal);
      return undefined;
    },
    failForGood: (ctx, data, message) => failOrder(ctx, data.orderId, `could not start the order: ${message}`),
  },
  prepare: {
    lease: (data) => ({ table: 'products', id: data.productId }),
    run: (ctx, data, run) => prepareProduct(ctx, data.productId, data.step, run.signal),
    failForGood: (ctx, data, message) => failProductForGood(ctx, data.productId, message),
  },
  download: {
    lease: (data) => ({ table: 'files', id: data.fileId }),
    run: (ctx, data, run) => fetchFile(ctx, data.fileId, run.progress, run.signal),
    failForGood: async (ctx, data, message) => {
      await failFileForGood(ctx, data.fileId, message);
    },
  },
  cancelRemote: {
    lease: (data) => ({ table: 'products', id: data.productId }),
    run: async (ctx, data, run) => {
      await cancelRemote(ctx, data.productId, run.signal);
      return undefined;
    },
    // The order is cancelled already; the service ends the work it was not told about by itself.
    failForGood: () => undefined,
  },
  finalize: {
    lease: () => undefined,
    run: async (ctx, data, run) => {
      await finalizeOrder(ctx, data.orderId, run.signal);
      return undefined;
    },
    failForGood: (ctx, data, message) => failOrder(ctx, data.orderId, `could not finish the order: ${message}`),
  },
};

/** The handler of a job's kind, or undefined for a kind this version does not know (a job left by an older one). */
export function handlerOf(data: AnyJobData): JobHandler<JobKind> | undefined {
  return (jobHandlers as Record<string, JobHandler<JobKind> | undefined>)[data.kind];
}
