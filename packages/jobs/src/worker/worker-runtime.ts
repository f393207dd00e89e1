import { hostname } from 'node:os';
import { DelayedError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { findFile } from '../db/repository.js';
import { removeTemporaryFiles } from '../download/temporary-files.js';
import type { JobOutcome } from '../metrics/job-outcome.js';
import { cancelChannel } from '../orders/cancel-channel.js';
import type { PipelineContext } from '../pipeline-context.js';
import { applyDownloadCaps } from '../queues/download-caps.js';
import { controlQueueName, downloadsQueueName } from '../queues/pipeline-queues.js';
import type { AnyJobData } from '../queues/job-kinds.js';
import { retryDelayMs } from '../retry/retry-delay.js';
import { SourceUnavailableError } from '../sources/source-unavailable-error.js';
import { failForGood, failedJob, noteRetry } from './failure-policy.js';
import { handlerOf } from './job-handlers.js';
import { claimJobLease, holdLease } from './job-lease.js';
import { progressReporter } from './progress-reporter.js';
import { ActiveJobs, closeWithDeadline } from './shutdown-hand-back.js';
import { FinishesAfterSlot } from './finishes-after-slot.js';
import { requeueFile } from '../processors/fetch-file.js';

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
/** How long a job waits before it is offered again when this worker cannot serve its source. */
const sourceUnavailableDelayMs = 10_000;

/**
 * Runs the pipeline's jobs in this process: one BullMQ worker for the control queue and one per service's downloads
 * queue (its fleet-wide cap set on it), and a subscription to cancel messages so an order cancelled anywhere aborts
 * its jobs here.
 */
export async function startPipelineWorkers(ctx: PipelineContext, connection: Redis): Promise<PipelineWorkers> {
  // Asked once: os.hostname() is a system call, and every job names its lease owner.
  const ownerPrefix = `${hostname()}:${process.pid}`;
  const active = new ActiveJobs();
  const finishes = new FinishesAfterSlot(ctx.config.downloadsPerProcess);
  const workerOf = new Map<string, Worker>();

  /** Runs the job and counts how the run ended, with its duration, in this process's metrics. */
  const runJob = async (job: Job<AnyJobData>, token: string | undefined, signal?: AbortSignal): Promise<unknown> => {
    const started = performance.now();
    const run: { outcome: JobOutcome } = { outcome: 'completed' };
    const handler = job.data?.kind ? handlerOf(job.data) : undefined;
    try {
      return await runJobOnce(job, token, signal, run);
    } catch (error) {
      // A failure no branch below classified: BullMQ retries it unless it is unrecoverable.
      if (run.outcome === 'completed') run.outcome = isUnrecoverable(error) ? 'failed' : 'retried';
      throw error;
    } finally {
      ctx.metrics.jobEnded(handler ? job.data.kind : undefined, run.outcome, (performance.now() - started) / 1_000);
    }
  };

  const runJobOnce = async (
    job: Job<AnyJobData>,
    token: string | undefined,
    signal: AbortSignal | undefined,
    run: { outcome: JobOutcome },
  ): Promise<unknown> => {
    const data = job.data;
    const key = job.id ?? '';
    const handler = data?.kind ? handlerOf(data) : undefined;
    if (!handler) {
      // A Redis that lost keys mid-job leaves a job without data, and an older release may have left kinds this one
      // does not know; the reconciler queues the real work again from the database.
      ctx.logger.warn({ jobId: key, kind: data?.kind }, 'skipping a job this worker cannot run');
      run.outcome = 'skipped';
      return undefined;
    }
    const lease = handler.lease(data);
    const owner = `${ownerPrefix}:${key}:${token ?? ''}`;
    const claim = lease ? await claimJobLease(ctx, lease, owner, lockDurationMs) : 'claimed';
    if (claim !== 'claimed') {
      // Another job still holds the row: usually the one that just queued this job and is finishing, rarely a copy
      // of this one whose Redis lock was lost. Either way it ends soon: look again shortly.
      run.outcome = 'deferred';
      await job.moveToDelayed(Date.now() + (claim === 'held' ? 200 : 1_000), token);
      throw new DelayedError();
    }
    const held = lease ? holdLease(ctx, lease, owner, lockDurationMs) : undefined;
    // Whether the lease went on to the job's finish, which ends it.
    let leaseHandedOn = false;
    const worker = workerOf.get(job.queueName);
    if (worker) active.start(key, data.orderId, worker);
    try {
      const progress = progressReporter(ctx, job);
      const result = await handler.run(ctx, data, { job, signal, progress: progress.report });
      if (result && 'waitMs' in result) {
        run.outcome = 'waiting';
        await job.moveToDelayed(Date.now() + result.waitMs, token);
        throw new DelayedError();
      }
      if (result && 'failed' in result) {
        run.outcome = 'failed';
        throw failedJob(result.failed);
      }
      if (result && 'value' in result && result.finish) {
        const finish = result.finish;
        leaseHandedOn = finishes.tryStart(
          finish,
          async () => held?.release(),
          async (error) => {
            ctx.logger.warn({ err: error, job: data.kind, title: data.title }, 'finishing after the job failed');
            if (data.kind === 'download') await requeueFile(ctx, data.fileId);
          },
        );
        if (!leaseHandedOn) await finish();
      }
      if (result && 'value' in result && result.value !== null) await progress.completed();
      return result && 'value' in result ? result.value : undefined;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (active.isHandedBack(key)) {
        run.outcome = 'handed-back';
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (signal?.aborted) {
        run.outcome = 'cancelled';
        // Cancelled: the order's state already says so; leave no partial file behind.
        if (data.kind === 'download') await removeTemporaryFileOf(ctx, data.fileId);
        return undefined;
      }
      if (error instanceof SourceUnavailableError) {
        // Not this worker's to do: its settings lack the job's source. Another worker may have them; the job waits
        // for one without spending an attempt.
        ctx.logger.warn({ job: data.kind, title: data.title, source: error.source }, error.message);
        run.outcome = 'deferred';
        await job.moveToDelayed(Date.now() + sourceUnavailableDelayMs, token);
        throw new DelayedError();
      }
      if (isUnrecoverable(error)) {
        run.outcome = 'failed';
        throw error;
      }
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        run.outcome = 'failed';
        return failForGood(ctx, handler, data, error);
      }
      run.outcome = 'retried';
      await noteRetry(ctx, data, error, job.attemptsMade + 1, attempts);
      throw error;
    } finally {
      // Ending a lease can fail (the database busy past its timeout); the lease then simply expires.
      if (!leaseHandedOn) await held?.release().catch(() => undefined);
      active.end(key);
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
  const workers: Worker[] = [
    new Worker<AnyJobData>(controlQueueName, runJob, { ...common, concurrency: ctx.config.controlJobsPerProcess }),
    ...ctx.sources.services().map(
      (service) =>
        new Worker<AnyJobData>(downloadsQueueName(service.name), runJob, {
          ...common,
          concurrency: ctx.config.downloadsPerProcess,
        }),
    ),
  ];
  for (const worker of workers) {
    workerOf.set(worker.name, worker);
    worker.on('error', (error) => ctx.logger.error({ err: error }, 'worker error'));
  }
  await applyDownloadCaps(ctx.queues, ctx.sources);

  const subscriber = connection.duplicate();
  await subscriber.subscribe(cancelChannel(ctx.config.queuePrefix));
  subscriber.on('message', (_channel: string, orderId: string) => active.cancelOrder(orderId));

  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  return {
    workers,
    close: async ({ deadlineMs = 30_000 } = {}) => {
      await closeWithDeadline(workers, active, deadlineMs);
      await finishes.settled();
      await subscriber.quit();
    },
  };
}

/** BullMQ's "do not retry" error, matched by name whichever copy of bullmq made it. */
function isUnrecoverable(error: unknown): boolean {
  return error instanceof Error && error.name === 'UnrecoverableError';
}

async function removeTemporaryFileOf(ctx: PipelineContext, fileId: number): Promise<void> {
  const file = await findFile(ctx.db, fileId);
  if (file) await removeTemporaryFiles(ctx.config.downloadDir, file.orderId, [file.id]);
}
