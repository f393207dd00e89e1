import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyNetworkError } from '@onc-orders/onc-client';
import { eq } from 'drizzle-orm';
import { findFile, findOrder, findProduct, runOfProduct } from '../db/repository.js';
import { files, products, runs, type FileRow, type OrderRow, type ProductRow } from '../db/schema.js';
import { ensureOrderFolder, forgetOrderFolder } from '../download/order-folder.js';
import { recognisePreviousCompletion } from '../download/recognise-previous-completion.js';
import { temporaryPathOf } from '../download/temporary-files.js';
import { reservePath } from '../download/reserve-path.js';
import { updateById } from '../db/update-by-id.js';
import { LengthMismatchError, writeVerifiedFile } from '../download/write-verified-file.js';
import type { PipelineContext } from '../pipeline-context.js';
import { pollDelayMs } from '../poll-delay.js';
import { reorderProduct } from '../progress/reorder-product.js';
import { completeFile, nextFileOf } from '../progress/complete-file.js';
import { settleProduct } from '../progress/settle.js';
import { fileTitle } from '../queues/job-titles.js';
import { enqueue } from '../queues/pipeline-queues.js';
import { TransientFailure } from '../retry/transient-failure.js';
import { leaseEnded } from '../state/leases.js';
import { recordEvent, transitionFile } from '../state/transition.js';
import { describeOutcome, transientFromOutcome } from './outcome-handling.js';
import type { WaitAgain } from './poll-run.js';

export interface DownloadProgress {
  (bytes: number, total: number | undefined): void;
}

/**
 * Fetches one file: streams it to a temporary file in the order's folder (resuming with a Range request when a
 * partial copy exists and the server honours it), verifies its length, hashes it, fsyncs, renames it atomically to
 * its final name, and only then records it complete. A complete file is never fetched again.
 */
export async function downloadFile(
  ctx: PipelineContext,
  fileId: number,
  onProgress: DownloadProgress,
  signal?: AbortSignal,
): Promise<WaitAgain | undefined> {
  const file = findFile(ctx.db, fileId);
  if (!file || (file.status !== 'pending' && file.status !== 'downloading')) return undefined;
  const product = findProduct(ctx.db, file.productId);
  const order = findOrder(ctx.db, file.orderId);
  if (!product || !order || product.status !== 'downloading' || order.status !== 'running') return undefined;
  const run = runOfProduct(ctx.db, product.id, file.runOrdinal);
  if (!run) throw new Error(`file ${fileId}: no run at position ${file.runOrdinal}`);

  const tempPath = temporaryPathOf(ctx.config.downloadDir, file, run.dpRunId);
  if (await recognisePreviousCompletion(ctx, file, tempPath, run.dpRunId)) {
    await afterFileEnded(ctx, product, file);
    return undefined;
  }
  // The job holds the file's lease, so nothing else counts its attempts meanwhile.
  const attempts = file.attempts + 1;
  await ctx.writes.write((tx) => {
    const began = transitionFile(tx, fileId, 'downloading', {
      reason: `fetching from run ${run.dpRunId}`,
      onlyFrom: ['pending'],
      patch: { attempts },
    });
    if (!began.changed) updateById(tx, 'files', fileId, { attempts });
  });

  await ensureOrderFolder(ctx.config.downloadDir, order.id);
  // Only a file that was attempted before can have a partial copy worth resuming.
  const partialBytes =
    file.attempts > 0
      ? await stat(tempPath).then(
          (info) => info.size,
          () => 0,
        )
      : 0;
  const index = file.fileIndex === 'meta' ? ('meta' as const) : Number(file.fileIndex);
  const outcome = await ctx.client.download({
    dpRunId: run.dpRunId,
    index,
    deleteFile: order.deleteFile,
    ...(partialBytes > 0 ? { rangeStart: partialBytes } : {}),
    ...(signal ? { signal } : {}),
  });

  switch (outcome.kind) {
    case 'ok': {
      const answer = outcome.value;
      const resumes = partialBytes > 0 && answer.httpStatus === 206 && answer.partial?.start === partialBytes;
      if (answer.httpStatus === 206 && !resumes) {
        // A partial answer that does not continue our copy: start over rather than stitch mismatched bytes.
        // undici reports an early destroy as an 'error' event; without a listener it would crash the process.
        answer.body.on('error', () => undefined);
        answer.body.destroy();
        await rm(tempPath, { force: true });
        throw new TransientFailure(`file ${fileId}: server answered a range we did not ask for`);
      }
      const total = resumes ? answer.partial?.total : answer.contentLength;
      let midBodyReached = false;
      let written;
      try {
        written = await writeVerifiedFile({
          body: answer.body,
          tempPath,
          resumeFrom: resumes ? partialBytes : 0,
          expectedBodyLength: answer.contentLength,
          onProgress: (bytes) => {
            onProgress(bytes, total);
            if (!midBodyReached && total !== undefined && bytes >= total / 2) {
              midBodyReached = true;
              ctx.failpoints.reach('download-mid-body');
            }
          },
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          // The order's folder vanished under us: make it again on the next attempt.
          forgetOrderFolder(ctx.config.downloadDir, order.id);
          throw new TransientFailure(`file ${fileId}: the order's folder is missing`, undefined, { cause: error });
        }
        if (error instanceof LengthMismatchError)
          throw new TransientFailure(`file ${fileId}: ${error.message}`, undefined, { cause: error });
        const transient = classifyNetworkError(error, 'download');
        if (transient)
          throw new TransientFailure(`file ${fileId}: ${transient.message}`, undefined, { cause: transient });
        throw error;
      }
      if (total !== undefined && written.size !== total) {
        await rm(tempPath, { force: true });
        throw new TransientFailure(`file ${fileId}: expected ${total} bytes in all, have ${written.size}`);
      }
      const relativePath = await ctx.writes.write((tx) =>
        reservePath(tx, file, answer.fileName, fallbackName(product, file), { ...written, dpRunId: run.dpRunId }),
      );
      ctx.failpoints.reach('after-download-before-rename');
      await rename(tempPath, join(ctx.config.downloadDir, relativePath));
      ctx.failpoints.reach('after-rename-before-record');
      await ctx.writes.write((tx) =>
        completeFile(tx, file, {
          reason: `${written.size} bytes verified, sha256 ${written.sha256.slice(0, 12)}…`,
          patch: {
            bytesDownloaded: written.size,
            fetchCount: file.fetchCount + 1,
            lastError: null,
            dpRunId: run.dpRunId,
            ...leaseEnded,
          },
        }),
      );
      await afterFileEnded(ctx, product, { ...file, status: 'complete' });
      return undefined;
    }
    case 'notReady':
      ctx.db.update(products).set({ lastOncMessage: outcome.message }).where(eq(products.id, product.id)).run();
      return { waitMs: pollDelayMs(product.estimatedProcessingSeconds, ctx.config.pollMinMs, ctx.config.pollMaxMs) };
    case 'endOfFiles':
      if (file.fileIndex !== 'meta' && !run.fileCount) {
        // Now the run's file count is known: the list ended just before this index.
        ctx.db
          .update(runs)
          .set({ fileCount: Number(file.fileIndex) - 1 })
          .where(eq(runs.id, run.id))
          .run();
      }
      transitionFile(ctx.db, fileId, 'absent', {
        onlyFrom: ['pending', 'downloading'],
        reason: `ONC answered ${outcome.httpStatus}: no file at this index`,
      });
      await afterFileEnded(ctx, product, { ...file, status: 'absent' });
      return undefined;
    case 'gone':
      return handleGone(ctx, order, product, file);
    case 'rejected': {
      if (partialBytes > 0 && outcome.httpStatus === 416) {
        // Our partial copy does not fit the file ONC now has: start over.
        await rm(tempPath, { force: true });
        throw new TransientFailure(`file ${fileId}: range not satisfiable, fetching the whole file again`);
      }
      const first = outcome.errors[0];
      if (file.fileIndex === 'meta' && first?.errorCode === 127) {
        transitionFile(ctx.db, fileId, 'absent', { reason: `no metadata file: ${first.errorMessage}` });
        await afterFileEnded(ctx, product, { ...file, status: 'absent' });
        return undefined;
      }
      await failFile(ctx, product, file, describeOutcome(outcome).message);
      return undefined;
    }
    case 'runFailed':
    case 'cancelled':
      await failFile(ctx, product, file, describeOutcome(outcome).message);
      return undefined;
    case 'transient':
      throw transientFromOutcome(outcome);
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

function fallbackName(product: ProductRow, file: FileRow): string {
  return `product-${product.ordinal}_run-${file.runOrdinal + 1}_${file.fileIndex === 'meta' ? 'meta.txt' : `file-${file.fileIndex}`}`;
}

/**
 * A 410 for a file we do not have. ONC sometimes answers 410 before the file reaches its FTP server, so it is retried
 * a few times; after that, with deleteFile on, the file was deleted after a download that never reached our disk and
 * only a re-order brings it back. With deleteFile off, nothing will bring it back.
 */
async function handleGone(
  ctx: PipelineContext,
  order: OrderRow,
  product: ProductRow,
  file: FileRow,
): Promise<undefined> {
  const goneCount = file.goneCount + 1;
  ctx.db.update(files).set({ goneCount, lastError: 'gone (410)' }).where(eq(files.id, file.id)).run();
  if (goneCount <= ctx.config.goneRetries) {
    recordEvent(
      ctx.db,
      order.id,
      'file',
      file.id,
      'retry',
      `410 gone, retry ${goneCount} of ${ctx.config.goneRetries}`,
    );
    throw new TransientFailure(`file ${file.id}: 410 gone (retry ${goneCount} of ${ctx.config.goneRetries})`);
  }
  if (order.deleteFile) {
    await reorderProduct(ctx, product.id, `file ${file.fileIndex} of run ${file.runOrdinal + 1} is gone from ONC`);
    return undefined;
  }
  await failFile(ctx, product, file, 'the file is gone from ONC (410)');
  return undefined;
}

/** Marks a file failed for good (the product then fails once its other files have ended). */
export async function failFile(
  ctx: PipelineContext,
  product: ProductRow,
  file: FileRow,
  message: string,
): Promise<void> {
  transitionFile(ctx.db, file.id, 'failed', {
    reason: message,
    patch: { lastError: message },
    onlyFrom: ['pending', 'downloading'],
  });
  await afterFileEnded(ctx, product, { ...file, status: 'failed' });
}

/**
 * After a file ends: when ONC did not tell the run's file count, the next index is tried (the list ends at a 204 or
 * 404); then the product settles if nothing of it is left in flight.
 */
async function afterFileEnded(ctx: PipelineContext, product: ProductRow, file: FileRow): Promise<void> {
  const next = file.status === 'complete' ? nextFileOf(ctx.db, file) : undefined;
  if (next && (next.status === 'pending' || next.status === 'downloading')) {
    await enqueue(
      ctx.queues,
      'download',
      { fileId: next.id },
      { title: fileTitle(product, next), orderId: product.orderId, generation: product.generation },
    );
    return;
  }
  await settleProduct(ctx, product.id);
}
