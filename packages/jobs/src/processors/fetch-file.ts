import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileByRef, findFile, findFileWithOwners, findProduct } from '../db/repository.js';
import type { FileRow, OrderRow, ProductRow } from '../db/schema.js';
import { updateById } from '../db/update-by-id.js';
import { ensureOrderFolder, forgetOrderFolder } from '../download/order-folder.js';
import { transientNetworkReason } from '@onc-orders/http-retry';
import { recognisePreviousCompletion } from '../download/recognise-previous-completion.js';
import { syncFile } from '../download/sync-file.js';
import { intendedPath, reservePath } from '../download/reserve-path.js';
import { temporaryPathOf } from '../download/temporary-files.js';
import { LengthMismatchError, writeVerifiedFile, type VerifiedWrite } from '../download/write-verified-file.js';
import type { PipelineContext } from '../pipeline-context.js';
import { completeFile } from '../progress/complete-file.js';
import { reorderProduct } from '../progress/reorder-product.js';
import { settleProduct } from '../progress/settle.js';
import { fileTitle } from '../queues/job-titles.js';
import { enqueue, enqueueMissing } from '../queues/pipeline-queues.js';
import { TransientFailure } from '../retry/transient-failure.js';
import { fileSnapshot, productSnapshot } from '../sources/snapshots.js';
import type { AnySource, FetchOutcome, FileSnapshot, ProductSnapshot } from '../sources/source-port.js';
import { openFileStatuses } from '../state/file-status.js';
import { leaseEnded } from '../state/leases.js';
import { recordEvent, transitionFile } from '../state/transition.js';
import type { JobResult } from './job-result.js';

/** Lets go of a body we will not read. undici reports an early destroy as an 'error' event; unheard, it would crash. */
function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Where a download is going, as the dashboard shows it. */
export interface DownloadTarget {
  /** The file's name in its folder. */
  file: string;
  /** Relative to DOWNLOAD_DIR, as in the order views. */
  path: string;
}

/**
 * A download's progress: bytes written so far of `total` (when the server said), into the file `target` names. The
 * target is computed only when a report is shown, which most small files never are.
 */
export interface DownloadProgress {
  (bytes: number, total: number | undefined, target: () => DownloadTarget): void;
}

const targetAt = (path: string): DownloadTarget => ({ file: basename(path), path });

/** Everything one download works with, read once at its start. */
interface Download {
  source: AnySource;
  order: OrderRow;
  product: ProductRow;
  file: FileRow;
  productView: ProductSnapshot<unknown, unknown, unknown>;
  fileView: FileSnapshot<unknown>;
  tempPath: string;
}

/**
 * Fetches one file: streams it to a temporary file in the order's folder (resuming with a Range request when a
 * partial copy exists and the server honours it), verifies its length, hashes it, fsyncs, renames it atomically to
 * its final name, and only then records it complete. A complete file is never fetched again.
 */
export async function fetchFile(
  ctx: PipelineContext,
  fileId: number,
  onProgress: DownloadProgress,
  signal?: AbortSignal,
): Promise<JobResult> {
  const found = await findFileWithOwners(ctx.db, fileId);
  if (!found) return undefined;
  const { file, product, order } = found;
  if (!openFileStatuses.includes(file.status)) return undefined;
  if (product.status !== 'downloading' || order.status !== 'running') return undefined;
  const source = ctx.sources.get(product.source);
  const productView = productSnapshot(order, product);
  const fileView = fileSnapshot(file);
  const tempPath = temporaryPathOf(ctx.config.downloadDir, file, source.copyOf(fileView, productView));
  const download: Download = { source, order, product, file, productView, fileView, tempPath };

  if (await recognisePreviousCompletion(ctx, file, tempPath, source.nextFile?.(fileView, productView))) {
    await afterFileEnded(ctx, download, 'complete');
    return undefined;
  }
  await ensureOrderFolder(ctx.config.downloadDir, order.id);
  // Only a file that was attempted before can have a partial copy worth resuming.
  const partialBytes =
    file.attempts > 0
      ? await stat(tempPath).then(
          (info) => info.size,
          () => 0,
        )
      : 0;
  // The job holds the file's lease, so nothing else counts its attempts meanwhile. The count is committed while the
  // request is on its way, not before it: the download slot is the service's scarcest resource, and a crash before
  // the commit only means the partial copy of this attempt is not resumed (the next one starts over).
  const attempts = file.attempts + 1;
  const began = ctx.writes
    .writeOne((tx) =>
      transitionFile(tx, fileId, 'downloading', {
        reason: `fetching ${source.view.fileTitle(fileView.meta)}`,
        onlyFrom: ['pending'],
        patch: { attempts },
      }),
    )
    // A retry finds the file downloading already: only its count changes.
    .then((moved) =>
      moved.changed ? undefined : ctx.writes.writeOne((tx) => updateById(tx, 'files', fileId, { attempts })),
    )
    .then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
  const outcome = await source
    .fetch(fileView, productView, { ...(partialBytes > 0 ? { rangeStart: partialBytes } : {}), signal })
    .catch(async (error: unknown) => {
      await began;
      throw error;
    });
  const unrecorded = await began;
  if (unrecorded) {
    if (outcome.kind === 'body') discardBody(outcome.body);
    throw unrecorded.error;
  }
  return handleFetchOutcome(ctx, download, outcome, partialBytes, onProgress, signal);
}

async function handleFetchOutcome(
  ctx: PipelineContext,
  download: Download,
  outcome: FetchOutcome<unknown, unknown>,
  partialBytes: number,
  onProgress: DownloadProgress,
  signal: AbortSignal | undefined,
): Promise<JobResult> {
  const { file, product, tempPath } = download;
  switch (outcome.kind) {
    case 'body':
      return storeBody(ctx, download, outcome, partialBytes, onProgress, signal);
    case 'wait':
      if (outcome.note !== undefined) {
        const note = outcome.note;
        await ctx.writes.writeOne((tx) => updateById(tx, 'products', product.id, { note }));
      }
      return { waitMs: outcome.waitMs };
    case 'absent': {
      // Recorded after the slot is given up too: nothing about the file is left to fetch.
      const finish = async () => {
        await ctx.writes.write(async (tx) => {
          const current = outcome.updateState ? await findProduct(tx, product.id) : undefined;
          if (current && outcome.updateState) {
            const state = outcome.updateState(JSON.parse(current.state) as unknown);
            await updateById(tx, 'products', product.id, { state: JSON.stringify(state) });
          }
          await transitionFile(tx, file.id, 'absent', { onlyFrom: ['pending', 'downloading'], reason: outcome.reason });
        });
        await afterFileEnded(ctx, download, 'absent');
      };
      return { value: null, finish };
    }
    case 'gone':
      return handleGone(ctx, download, outcome.reason);
    case 'rangeRefused':
      // Our partial copy does not fit the file the server has now: start over.
      await rm(tempPath, { force: true });
      throw new TransientFailure(`file ${file.id}: range not satisfiable, fetching the whole file again`, undefined, {
        reason: 'range',
      });
    case 'failed':
      await failFile(ctx, download, outcome.error.message);
      return { failed: outcome.error.message };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled fetch outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

async function storeBody(
  ctx: PipelineContext,
  download: Download,
  answer: Extract<FetchOutcome<unknown, unknown>, { kind: 'body' }>,
  partialBytes: number,
  onProgress: DownloadProgress,
  signal: AbortSignal | undefined,
): Promise<JobResult> {
  const { file, tempPath, source, product, productView, fileView } = download;
  const resumes = partialBytes > 0 && answer.httpStatus === 206 && answer.partial?.start === partialBytes;
  if (answer.httpStatus === 206 && !resumes) {
    // A partial answer that does not continue our copy: start over rather than stitch mismatched bytes.
    discardBody(answer.body);
    await rm(tempPath, { force: true });
    throw new TransientFailure(`file ${file.id}: server answered a range we did not ask for`, undefined, {
      reason: 'range',
    });
  }
  const total = resumes ? answer.partial?.total : answer.contentLength;
  const fallback = source.view.fallbackFileName(product.ordinal, fileView.meta);
  // The path the file is meant for once it is verified; reservePath numbers it should another file of the order have
  // taken the name meanwhile, and the last progress then names the path recorded.
  let intended: DownloadTarget | undefined;
  const target = () => (intended ??= targetAt(intendedPath(file, answer.fileName, fallback, answer.folder)));
  let midBodyReached = false;
  // Counted as the bytes arrive, so the rate shows during a long download and a transfer that breaks counts too.
  let counted = resumes ? partialBytes : 0;
  let written: VerifiedWrite;
  try {
    written = await writeVerifiedFile({
      body: answer.body,
      tempPath,
      // The fsync waits until the slot is given up (see `finish` below).
      sync: false,
      resumeFrom: resumes ? partialBytes : 0,
      expectedBodyLength: answer.contentLength,
      onProgress: (bytes) => {
        ctx.metrics.downloaded(product.source, bytes - counted);
        counted = bytes;
        onProgress(bytes, total, target);
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
      forgetOrderFolder(ctx.config.downloadDir, file.orderId);
      throw new TransientFailure(`file ${file.id}: the order's folder is missing`, undefined, { cause: error });
    }
    if (error instanceof LengthMismatchError)
      throw new TransientFailure(`file ${file.id}: ${error.message}`, undefined, {
        cause: error,
        reason: 'incomplete-body',
      });
    const broken = transientNetworkReason(error);
    if (broken) throw new TransientFailure(`file ${file.id}: ${broken}`, undefined, { cause: error });
    throw error;
  }
  if (total !== undefined && written.size !== total) {
    await rm(tempPath, { force: true });
    throw new TransientFailure(`file ${file.id}: expected ${total} bytes in all, have ${written.size}`, undefined, {
      reason: 'incomplete-body',
    });
  }
  const meta = JSON.stringify(answer.meta ?? fileView.meta);
  const relativePath = await reservePath(
    ctx.writes,
    file,
    answer.fileName,
    fallback,
    { ...written, meta },
    answer.folder,
  );
  // The last word to the dashboard names the path recorded, should another file of the order have taken the one
  // shown while the bytes came.
  onProgress(written.size, written.size, () => targetAt(relativePath));
  // The verified size and sha256 are recorded with the path: from here a crash is recognised from the copy on disk
  // (recognisePreviousCompletion), so the rest can wait until the download slot is free for the next transfer.
  const finish = async () => {
    await syncFile(tempPath);
    ctx.failpoints.reach('after-download-before-rename');
    const finalPath = join(ctx.config.downloadDir, relativePath);
    if (answer.folder !== undefined) await mkdir(dirname(finalPath), { recursive: true });
    await rename(tempPath, finalPath);
    ctx.failpoints.reach('after-rename-before-record');
    const next = source.nextFile?.(fileView, productView);
    const createdNext = await completeFile(ctx.writes, file, {
      reason: `${written.size} bytes verified, sha256 ${written.sha256.slice(0, 12)}…`,
      patch: { bytesDownloaded: written.size, fetchCount: file.fetchCount + 1, lastError: null, ...leaseEnded },
      next,
    });
    await afterFileEnded(ctx, download, 'complete', createdNext);
  };
  // The download slot is the service's scarcest resource (ONC: 3 at a time): it is given up now, and the fsync,
  // rename and records, milliseconds in which the next file could already be arriving, follow after.
  return { value: { path: relativePath, size: written.size, sha256: written.sha256 }, finish };
}

/**
 * A file the service says is gone, which we do not have. ONC sometimes answers 410 before the file reaches its FTP
 * server, so it is asked again a few times; after that the source says whether the product is ordered again (its
 * files were deleted after a download that never reached our disk) or the file fails.
 */
async function handleGone(ctx: PipelineContext, download: Download, reason: string): Promise<JobResult> {
  const { file, product, source, order } = download;
  const goneCount = file.goneCount + 1;
  await updateById(ctx.db, 'files', file.id, { goneCount, lastError: reason });
  if (goneCount <= ctx.config.goneRetries) {
    await recordEvent(
      ctx.db,
      order.id,
      'file',
      file.id,
      'retry',
      `${reason}, retry ${goneCount} of ${ctx.config.goneRetries}`,
    );
    throw new TransientFailure(
      `file ${file.id}: ${reason} (retry ${goneCount} of ${ctx.config.goneRetries})`,
      undefined,
      {
        reason: 'gone',
      },
    );
  }
  if (source.afterGone(download.productView.spec, JSON.parse(download.order.submittedSpec) as unknown) === 'reorder') {
    const why = `${source.view.fileTitle(download.fileView.meta)} is gone from the service`;
    return (await reorderProduct(ctx, product.id, why, product.generation)) === 'failed' ? { failed: why } : undefined;
  }
  await failFile(ctx, download, reason);
  return { failed: reason };
}

/** Marks a file failed for good (the product then fails once its other files have ended). */
async function failFile(ctx: PipelineContext, download: Download, message: string): Promise<void> {
  await transitionFile(ctx.db, download.file.id, 'failed', {
    reason: message,
    patch: { lastError: message },
    onlyFrom: ['pending', 'downloading'],
  });
  await afterFileEnded(ctx, download, 'failed');
}

/**
 * Puts a file's download back on its queue (its job has ended, its finishing failed): the next attempt recognises
 * the verified copy on disk, or fetches it again.
 */
export async function requeueFile(ctx: PipelineContext, fileId: number): Promise<void> {
  const file = await findFile(ctx.db, fileId);
  const product = file ? await findProduct(ctx.db, file.productId) : undefined;
  if (!file || !product || !openFileStatuses.includes(file.status)) return;
  const source = ctx.sources.get(product.source);
  await enqueueMissing(ctx.queues, [
    {
      kind: 'download',
      payload: { fileId },
      options: {
        title: fileTitle(source, product, file),
        orderId: file.orderId,
        generation: product.generation,
        service: source.service.name,
      },
    },
  ]);
}

/**
 * Marks a file failed for good after its last attempt, from the worker runtime's failure policy.
 * Returns false when the file had ended anyway.
 */
export async function failFileForGood(ctx: PipelineContext, fileId: number, message: string): Promise<boolean> {
  const found = await findFileWithOwners(ctx.db, fileId);
  if (!found || !openFileStatuses.includes(found.file.status)) return false;
  const { file, product, order } = found;
  const source = ctx.sources.get(product.source);
  const productView = productSnapshot(order, product);
  const fileView = fileSnapshot(file);
  const tempPath = temporaryPathOf(ctx.config.downloadDir, file, source.copyOf(fileView, productView));
  await failFile(ctx, { source, order, product, file, productView, fileView, tempPath }, message);
  return true;
}

/**
 * After a file ends: when its source said another follows it (created with its completion, `createdNext` when this
 * job created it), that one is queued; otherwise the product settles if nothing of it is left in flight.
 */
async function afterFileEnded(
  ctx: PipelineContext,
  download: Download,
  ended: 'complete' | 'absent' | 'failed',
  createdNext?: number,
): Promise<void> {
  const { source, product, fileView, productView } = download;
  const next = ended === 'complete' ? source.nextFile?.(fileView, productView) : undefined;
  const nextRow =
    next && createdNext !== undefined
      ? { id: createdNext, status: 'pending' as const, meta: JSON.stringify(next.meta) }
      : next
        ? await fileByRef(ctx.db, product.orderId, next.ref)
        : undefined;
  if (nextRow && openFileStatuses.includes(nextRow.status)) {
    await enqueue(
      ctx.queues,
      'download',
      { fileId: nextRow.id },
      {
        title: fileTitle(source, product, nextRow),
        orderId: product.orderId,
        generation: product.generation,
        service: source.service.name,
      },
    );
    return;
  }
  await settleProduct(ctx, product.id);
}
