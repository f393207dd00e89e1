import { UnrecoverableError } from 'bullmq';
import { findFile, findProduct } from '../db/repository.js';
import { updateById } from '../db/update-by-id.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { AnyJobData, JobKind } from '../queues/job-kinds.js';
import { retryReasonOf } from '../retry/retry-reason-of.js';
import { TransientFailure } from '../retry/transient-failure.js';
import { recordEvent } from '../state/transition.js';
import type { JobHandler } from './job-handlers.js';

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An attempt failed and another is left: the retry is recorded in the product's or file's history. */
export async function noteRetry(
  ctx: PipelineContext,
  data: AnyJobData,
  error: unknown,
  attempt: number,
  attempts: number,
): Promise<void> {
  ctx.metrics.retried(data.kind, retryReasonOf(error));
  const reason = `attempt ${attempt} of ${attempts} failed: ${describeError(error)}`;
  ctx.logger.warn(
    { job: data.kind, title: data.title, err: error instanceof TransientFailure ? undefined : error },
    reason,
  );
  if ('productId' in data) {
    const product = await findProduct(ctx.db, data.productId);
    if (product) await updateById(ctx.db, 'products', product.id, { attempts: product.attempts + 1 });
    await recordEvent(ctx.db, data.orderId, 'product', data.productId, 'retry', `${data.kind}: ${reason}`);
  } else if ('fileId' in data && (await findFile(ctx.db, data.fileId))) {
    await recordEvent(ctx.db, data.orderId, 'file', data.fileId, 'retry', reason);
  }
}

/**
 * The last attempt failed: the product, file or order fails for good where the database can show it, and the job
 * ends failed on the dashboard with the same reason (never retried: BullMQ's UnrecoverableError).
 */
export async function failForGood(
  ctx: PipelineContext,
  handler: JobHandler<JobKind>,
  data: AnyJobData,
  error: unknown,
): Promise<never> {
  const message = `gave up after retries: ${describeError(error)}`;
  ctx.logger.error({ job: data.kind, title: data.title, err: error }, message);
  await handler.failForGood(ctx, data, message);
  throw new UnrecoverableError(message);
}

/** The job ended its product or file failed (already recorded): it fails on the dashboard with that reason. */
export function failedJob(reason: string): UnrecoverableError {
  return new UnrecoverableError(reason);
}
