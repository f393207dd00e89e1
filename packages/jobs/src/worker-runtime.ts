import { hostname } from 'node:os';
import { DelayedError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { eq, sql } from 'drizzle-orm';
import { findFile, findProduct } from './db/repository.js';
import { products } from './db/schema.js';
import type { PipelineContext } from './pipeline-context.js';
import { removeTemporaryFiles } from './download/temporary-files.js';
import { downloadFile, failFile } from './processors/download-file.js';
import { cancelRuns } from './processors/cancel-runs.js';
import { finalizeOrder } from './processors/finalize-order.js';
import { pollRun, type WaitAgain } from './processors/poll-run.js';
import { requestProduct } from './processors/request-product.js';
import { startOrder } from './processors/start-order.js';
import { startRun } from './processors/start-run.js';
import { failOrder } from './progress/fail-order.js';
import { settleOrder } from './progress/settle.js';
import { cancelChannel } from './orders/cancel-channel.js';
import { QueueName, type AnyJobData } from './queues/job-kinds.js';
import { retryDelayMs } from './retry/retry-delay.js';
import { TransientFailure } from './retry/transient-failure.js';
import { claimLease, releaseLease, type LeasedTable } from './state/leases.js';
import { recordEvent, transitionProduct } from './state/transition.js';

export interface PipelineWorkers {
  readonly workers: readonly Worker[];
  /**
   * Stops taking jobs and lets the ones in flight finish for up to `deadlineMs`; what is still running then is
   * aborted and handed back to the queue at once, so another worker takes it without waiting for a stalled check.
   */
  close(options?: { deadlineMs?: number }): Promise<void>;
}

/** Lock and stalled-check timings: a killed worker's jobs are taken over within ~10 s, and never failed for it. */
const lockDurationMs = 8_000;
const stalledIntervalMs = 3_000;

/**
 * Runs the pipeline's jobs in this process: one BullMQ worker per queue, the fleet-wide download cap set on the
 * downloads queue, and a subscription to cancel messages so an order cancelled anywhere aborts its downloads here.
 */
export async function startPipelineWorkers(ctx: PipelineContext, connection: Redis): Promise<PipelineWorkers> {
  // Asked once: os.hostname() is a system call, and every job names its lease owner.
  const ownerPrefix = `${hostname()}:${globalThis.process.pid}`;
  const active = new Map<string, { orderId: string; worker: Worker }>();
  const handedBack = new Set<string>();

  const process = async (job: Job<AnyJobData>, token: string | undefined, signal?: AbortSignal): Promise<void> => {
    const data = job.data;
    const key = job.id ?? '';
    if (!data?.kind) {
      // Only a Redis that lost keys mid-job leaves a job without data; the reconciler queues the real one again.
      ctx.logger.warn({ jobId: key }, 'skipping a job without data');
      return;
    }
    const worker = job.queueName === QueueName.downloads ? downloadsWorker : controlWorker;
    const lease = leaseTargetOf(data);
    const owner = `${ownerPrefix}:${key}:${token ?? ''}`;
    const claim = lease ? await claimLeaseFor(lease, owner) : 'claimed';
    if (claim !== 'claimed') {
      // Another job still holds the row: usually the one that just queued this job and is finishing, rarely a copy
      // of this one whose Redis lock was lost. Either way it ends soon: look again shortly. A database that could
      // not be written (its lock still taken after the busy timeout) is looked at again too, a little later; the
      // job has done nothing yet, so this costs it no attempt.
      await job.moveToDelayed(Date.now() + (claim === 'held' ? 200 : 1_000), token);
      throw new DelayedError();
    }
    const renewal = lease
      ? setInterval(() => claimLease(ctx.db, lease.table, lease.id, owner, lockDurationMs), lockDurationMs / 3)
      : undefined;
    active.set(key, { orderId: data.orderId, worker });
    try {
      const wait = await runJob(ctx, job, signal);
      if (wait) {
        await job.moveToDelayed(Date.now() + wait.waitMs, token);
        throw new DelayedError();
      }
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (handedBack.has(key)) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (signal?.aborted) {
        // Cancelled: the order's state already says so; leave no partial file behind.
        if (data.kind === 'download') await removeTemporaryFile(ctx, data.fileId);
        return;
      }
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        await failForGood(ctx, data, error);
        return;
      }
      noteRetry(ctx, data, error, job.attemptsMade + 1, attempts);
      throw error;
    } finally {
      clearInterval(renewal);
      if (lease) releaseLease(ctx.db, lease.table, lease.id, owner);
      active.delete(key);
      handedBack.delete(key);
    }
  };

  const claimLeaseFor = async (
    lease: { table: LeasedTable; id: number },
    owner: string,
  ): Promise<'claimed' | 'held' | 'unwritable'> => {
    try {
      const claimed = await ctx.writes.write((tx) => claimLease(tx, lease.table, lease.id, owner, lockDurationMs));
      return claimed ? 'claimed' : 'held';
    } catch (error) {
      ctx.logger.warn({ err: error, lease }, 'could not claim the lease');
      return 'unwritable';
    }
  };

  const common = {
    connection,
    prefix: ctx.config.queuePrefix,
    lockDuration: lockDurationMs,
    stalledInterval: stalledIntervalMs,
    // A job whose worker died is not at fault: it is taken over however often that happens.
    maxStalledCount: Number.MAX_SAFE_INTEGER,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        retryDelayMs(attemptsMade, error, ctx.config.retryBaseMs),
    },
  };
  const controlWorker: Worker = new Worker<AnyJobData>(QueueName.control, process, {
    ...common,
    concurrency: ctx.config.controlJobsPerProcess,
  });
  const downloadsWorker: Worker = new Worker<AnyJobData>(QueueName.downloads, process, {
    ...common,
    concurrency: ctx.config.downloadsPerProcess,
  });
  for (const worker of [controlWorker, downloadsWorker]) {
    worker.on('error', (error) => ctx.logger.error({ err: error }, 'worker error'));
  }
  await ctx.queues.downloads.setGlobalConcurrency(ctx.config.maxConcurrentDownloads);

  const subscriber = connection.duplicate();
  await subscriber.subscribe(cancelChannel(ctx.config.queuePrefix));
  subscriber.on('message', (_channel: string, orderId: string) => {
    for (const [jobId, entry] of active) {
      if (entry.orderId === orderId) entry.worker.cancelJob(jobId, 'order cancelled');
    }
  });

  await Promise.all([controlWorker.waitUntilReady(), downloadsWorker.waitUntilReady()]);

  return {
    workers: [controlWorker, downloadsWorker],
    close: async ({ deadlineMs = 30_000 } = {}) => {
      const closing = Promise.all([controlWorker.close(), downloadsWorker.close()]);
      const timer = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), deadlineMs).unref());
      if ((await Promise.race([closing, timer])) === 'deadline') {
        for (const [jobId, entry] of active) {
          handedBack.add(jobId);
          entry.worker.cancelJob(jobId, 'worker shutting down');
        }
        await closing;
      }
      await subscriber.quit();
    },
  };
}

/** The row a job works on, leased for the job's duration so two copies of it never work on it at once. */
function leaseTargetOf(data: AnyJobData): { table: LeasedTable; id: number } | undefined {
  if ('fileId' in data) return { table: 'files', id: data.fileId };
  if ('productId' in data) return { table: 'products', id: data.productId };
  return undefined;
}

async function runJob(
  ctx: PipelineContext,
  job: Job<AnyJobData>,
  signal?: AbortSignal,
): Promise<WaitAgain | undefined> {
  const data = job.data;
  switch (data.kind) {
    case 'expand':
      await startOrder(ctx, data.orderId);
      return undefined;
    case 'request':
      await requestProduct(ctx, data.productId, signal);
      return undefined;
    case 'run':
      await startRun(ctx, data.productId, signal);
      return undefined;
    case 'poll':
      return pollRun(ctx, data.productId, signal);
    case 'download':
      return downloadFile(ctx, data.fileId, progressReporter(ctx, job, data.fileId), signal);
    case 'finalize':
      await finalizeOrder(ctx, data.orderId);
      return undefined;
    case 'cancelRuns':
      await cancelRuns(ctx, data.productId, signal);
      return undefined;
    default: {
      const unreachable: never = data;
      throw new Error(`unknown job ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Download progress for the dashboard (bytes) and the database, throttled: a 1 GiB file has ~16k chunks. */
function progressReporter(ctx: PipelineContext, job: Job<AnyJobData>, fileId: number) {
  // Counted from the start: a file that arrives within the first interval reports nothing, which spares a Redis
  // script and a database write for each of the many small files.
  let lastJobUpdate = Date.now();
  let lastDbUpdate = lastJobUpdate;
  return (bytes: number, total: number | undefined) => {
    const now = Date.now();
    if (now - lastJobUpdate >= 500) {
      lastJobUpdate = now;
      job.updateProgress({ bytes, ...(total !== undefined ? { total } : {}) }).catch(() => undefined);
    }
    if (now - lastDbUpdate >= 2_000) {
      lastDbUpdate = now;
      ctx.db.run(sql`UPDATE files SET bytes_downloaded = ${bytes} WHERE id = ${fileId}`);
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function noteRetry(ctx: PipelineContext, data: AnyJobData, error: unknown, attempt: number, attempts: number): void {
  const reason = `attempt ${attempt} of ${attempts} failed: ${describe(error)}`;
  ctx.logger.warn(
    { job: data.kind, title: data.title, err: error instanceof TransientFailure ? undefined : error },
    reason,
  );
  if ('productId' in data) {
    ctx.db
      .update(products)
      .set({ attempts: sql`${products.attempts} + 1` })
      .where(eq(products.id, data.productId))
      .run();
    recordEvent(ctx.db, data.orderId, 'product', data.productId, 'retry', `${data.kind}: ${reason}`);
  } else if ('fileId' in data) {
    recordEvent(ctx.db, data.orderId, 'file', data.fileId, 'retry', reason);
  }
}

/** The last attempt failed: the product (or file) fails for good, and the order goes on with the rest. */
async function failForGood(ctx: PipelineContext, data: AnyJobData, error: unknown): Promise<void> {
  const message = `gave up after retries: ${describe(error)}`;
  ctx.logger.error({ job: data.kind, title: data.title, err: error }, message);
  switch (data.kind) {
    case 'request':
    case 'run':
    case 'poll': {
      const product = findProduct(ctx.db, data.productId);
      if (!product) return;
      transitionProduct(ctx.db, product.id, 'failed', {
        reason: message,
        onlyFrom: ['pending', 'requested', 'running', 'downloading'],
        patch: { errorMessage: message },
      });
      await settleOrder(ctx, product.orderId);
      return;
    }
    case 'download': {
      const file = findFile(ctx.db, data.fileId);
      const product = file ? findProduct(ctx.db, file.productId) : undefined;
      if (file && product && (file.status === 'pending' || file.status === 'downloading')) {
        await failFile(ctx, product, file, message);
      }
      return;
    }
    case 'expand':
      failOrder(ctx, data.orderId, `could not queue the order's products: ${describe(error)}`);
      return;
    case 'finalize':
      failOrder(ctx, data.orderId, `could not finish the order: ${describe(error)}`);
      return;
    case 'cancelRuns':
      // The order is cancelled already; ONC ends the runs it was not told about by itself.
      return;
    default: {
      const unreachable: never = data;
      throw new Error(`unknown job ${JSON.stringify(unreachable)}`);
    }
  }
}

async function removeTemporaryFile(ctx: PipelineContext, fileId: number): Promise<void> {
  const file = findFile(ctx.db, fileId);
  if (file) await removeTemporaryFiles(ctx.config.downloadDir, file.orderId, [file.id]);
}
