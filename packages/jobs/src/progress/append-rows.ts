import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileByRef, findProduct } from '../db/repository.js';
import type { AppDatabase } from '../db/database.js';
import { insertListedFile } from '../db/insert-listed-file.js';
import type { FileRow, ProductRow } from '../db/schema.js';
import { updateById } from '../db/update-by-id.js';
import { ensureOrderFolder } from '../download/order-folder.js';
import { recognisePreviousCompletion } from '../download/recognise-previous-completion.js';
import { reservePath } from '../download/reserve-path.js';
import { syncFile } from '../download/sync-file.js';
import { temporaryPathOf } from '../download/temporary-files.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { JobResult } from '../processors/job-result.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueue } from '../queues/pipeline-queues.js';
import type { AnySource, PrepareOutcome } from '../sources/source-port.js';
import { leaseEnded } from '../state/leases.js';
import { recordEvent, transitionFile, transitionProduct } from '../state/transition.js';
import { completeFile } from './complete-file.js';
import { settleOrder } from './settle.js';
import { stepIsCurrent } from './step-is-current.js';

type RowsOutcome = Extract<PrepareOutcome<unknown, unknown>, { kind: 'rows' }>;

/** The copy a source writes page by page is always the same one: there is nothing else to resume it from. */
const rowsCopy = 'rows';

/** The product's file row, created with the first page; undefined when the step is stale or the order stopped. */
async function fileOfStep(tx: AppDatabase, product: ProductRow, outcome: RowsOutcome): Promise<FileRow | undefined> {
  const current = await findProduct(tx, product.id);
  if (!current) return undefined;
  if (current.status === 'cancelled') {
    await updateById(tx, 'products', product.id, { state: JSON.stringify(outcome.state) });
    return undefined;
  }
  if (!stepIsCurrent(current, product)) return undefined;
  await insertListedFile(tx, {
    orderId: product.orderId,
    productId: product.id,
    ref: outcome.file.ref,
    meta: outcome.file.meta,
  });
  return fileByRef(tx, product.orderId, outcome.file.ref);
}

/**
 * Puts `chunk` at exactly the committed length of the copy, dropping whatever an attempt that died before its commit
 * left after it, and makes it durable. Only then may the new length be committed: a length on record is always on
 * disk, and the bytes past it never count.
 */
async function appendAtCommittedLength(path: string, committed: number, chunk: Buffer): Promise<void> {
  const handle = await open(path, committed === 0 ? 'w' : 'r+').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`the partial copy ${path} holding ${committed} committed bytes is missing`, { cause: error });
    }
    throw error;
  });
  try {
    const { size } = await handle.stat();
    if (size < committed) throw new Error(`the partial copy ${path} has ${size} bytes, ${committed} were committed`);
    await handle.truncate(committed);
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset, committed + offset);
      offset += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

/**
 * A page of rows a source pulled for its product's one file (DataStream): appended to the file's copy and fsynced,
 * then committed with the source's new state (the next link), the copy's length and the row count, in that order,
 * so that after a crash the copy is cut back to the committed length and the pull goes on from the committed link:
 * every row lands exactly once. The last page also records the file (size, sha256, rows), renames it into place and
 * completes the product.
 */
export async function appendRows(
  ctx: PipelineContext,
  source: AnySource,
  product: ProductRow,
  outcome: RowsOutcome,
): Promise<JobResult> {
  const file = await ctx.writes.write(async (tx) => fileOfStep(tx, product, outcome));
  if (!file) return undefined;
  const tempPath = temporaryPathOf(ctx.config.downloadDir, file, rowsCopy);
  if (file.status === 'complete' || (await recognisePreviousCompletion(ctx, file, tempPath, undefined))) {
    return completeRowsProduct(ctx, product, `${file.rows ?? 0} rows, found complete after an interrupted finish`);
  }
  await ensureOrderFolder(ctx.config.downloadDir, product.orderId);
  const committed = file.bytesDownloaded;
  await appendAtCommittedLength(tempPath, committed, outcome.chunk);
  ctx.metrics.downloaded(product.source, outcome.chunk.length);
  const size = committed + outcome.chunk.length;
  const rows = (file.rows ?? 0) + outcome.rows;
  const state = JSON.stringify(outcome.state);

  if (!outcome.done) {
    const committedPage = await ctx.writes.write(async (tx) => {
      const current = await findProduct(tx, product.id);
      if (!current || !stepIsCurrent(current, product)) return false;
      await transitionFile(tx, file.id, 'downloading', { reason: outcome.reason, onlyFrom: ['pending'] });
      await updateById(tx, 'files', file.id, { bytesDownloaded: size, rows, updatedAt: Date.now() });
      if (current.status === 'pending') {
        await transitionProduct(tx, product.id, 'preparing', {
          reason: outcome.reason,
          onlyFrom: ['pending'],
          patch: { state, step: current.step + 1, ...leaseEnded },
        });
      } else {
        await updateById(tx, 'products', product.id, {
          state,
          step: current.step + 1,
          ...leaseEnded,
          updatedAt: Date.now(),
        });
      }
      return true;
    });
    if (committedPage) {
      ctx.failpoints.reach('after-page-before-next');
      await enqueue(
        ctx.queues,
        'prepare',
        { productId: product.id, step: product.step + 1 },
        { title: productTitle(source, product), orderId: product.orderId, generation: product.generation },
      );
    }
    return undefined;
  }

  const sha256 = await sha256Of(tempPath);
  const relativePath = await ctx.writes.write(async (tx) => {
    const current = await findProduct(tx, product.id);
    if (!current || !stepIsCurrent(current, product)) return undefined;
    // A pull whose first page is its last completes from pending: it passes through preparing, as its states allow.
    if (current.status === 'pending') {
      await transitionProduct(tx, product.id, 'preparing', {
        reason: outcome.reason,
        onlyFrom: ['pending'],
        patch: { state },
      });
    } else {
      await updateById(tx, 'products', product.id, { state, updatedAt: Date.now() });
    }
    await updateById(tx, 'files', file.id, { bytesDownloaded: size, rows });
    // Asked for inside this transaction, the path's write joins it.
    return reservePath(ctx.writes, file, outcome.file.name, outcome.file.name, {
      size,
      sha256,
      meta: JSON.stringify(outcome.file.meta),
    });
  });
  if (relativePath === undefined) return undefined;
  ctx.failpoints.reach('after-rows-before-rename');
  await syncFile(tempPath);
  await rename(tempPath, join(ctx.config.downloadDir, relativePath));
  await completeFile(ctx.writes, file, {
    reason: `${rows} rows, ${size} bytes, sha256 ${sha256.slice(0, 12)}…`,
    patch: { bytesDownloaded: size, rows, fetchCount: file.fetchCount + 1, lastError: null, ...leaseEnded },
  });
  return completeRowsProduct(ctx, product, `${rows} rows written to ${relativePath}`);
}

async function completeRowsProduct(ctx: PipelineContext, product: ProductRow, reason: string): Promise<JobResult> {
  await ctx.writes.write(async (tx) => {
    await transitionProduct(tx, product.id, 'complete', {
      reason,
      onlyFrom: ['pending', 'preparing'],
      patch: { ...leaseEnded },
    });
    await recordEvent(tx, product.orderId, 'product', product.id, 'rows', reason);
  });
  await settleOrder(ctx, product.orderId);
  return undefined;
}
