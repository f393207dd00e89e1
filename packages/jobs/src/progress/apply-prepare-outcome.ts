import type { AppDatabase } from '../db/database.js';
import { findProduct } from '../db/repository.js';
import type { ProductRow } from '../db/schema.js';
import { updateById, type ProductPatch } from '../db/update-by-id.js';
import { updateIfStepCurrent } from '../db/update-if-step-current.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { JobResult } from '../processors/job-result.js';
import { productTitle } from '../queues/job-titles.js';
import { jobsForProduct } from '../queues/jobs-for-product.js';
import { enqueue, enqueueMany } from '../queues/pipeline-queues.js';
import type { AnySource, PrepareOutcome } from '../sources/source-port.js';
import { leaseEnded } from '../state/leases.js';
import { recordEvent, transitionProduct } from '../state/transition.js';
import { recordListedFiles } from './list-files.js';
import { reorderProduct } from './reorder-product.js';
import { stepIsCurrent } from './step-is-current.js';
import { appendRows } from './append-rows.js';
import { failWholeOrder } from './fail-whole-order.js';
import { settleOrder, settleProduct } from './settle.js';

type Decision = 'continue' | 'wait' | 'files' | 'ended' | 'failed' | 'reorder' | 'cancelled' | 'moved';

/**
 * Moves the product on within its conversation: from `pending`, the first step's outcome makes it `preparing` (the
 * transition records the reason); later steps record theirs as a `step` entry when asked to.
 */
async function advance(
  tx: AppDatabase,
  current: ProductRow,
  patch: ProductPatch,
  reason: string,
  record: boolean,
): Promise<void> {
  if (current.status === 'pending') {
    await transitionProduct(tx, current.id, 'preparing', { reason, onlyFrom: ['pending'], patch });
    return;
  }
  await updateById(tx, 'products', current.id, { ...patch, updatedAt: Date.now() });
  if (record) await recordEvent(tx, current.orderId, 'product', current.id, 'step', reason);
}

/** Commits what a step came to (the source's new state and the product's next status) in one transaction. */
async function commit(
  tx: AppDatabase,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): Promise<Decision> {
  const current = await findProduct(tx, product.id);
  if (!current) return 'moved';
  const state = JSON.stringify(outcome.state);
  if (current.status === 'cancelled') {
    // Cancelled while the service answered: what the service said is kept (a cancel of its work needs it).
    await updateById(tx, 'products', product.id, { state });
    return 'cancelled';
  }
  if (!stepIsCurrent(current, product)) return 'moved';
  const onlyFrom = ['pending', 'preparing'] as const;
  const events = 'events' in outcome ? (outcome.events ?? []) : [];
  for (const event of events) await recordEvent(tx, product.orderId, 'product', product.id, event.kind, event.reason);
  switch (outcome.kind) {
    case 'continue':
      // A page of a listing that goes on: its files are saved with the state that points past it.
      if (outcome.files) await recordListedFiles(tx, current, outcome.files);
      await advance(tx, current, { state, step: current.step + 1, ...leaseEnded }, outcome.reason, true);
      return 'continue';
    case 'wait':
      await advance(
        tx,
        current,
        { state, ...(outcome.note !== undefined ? { note: outcome.note } : {}) },
        outcome.reason,
        false,
      );
      return 'wait';
    case 'files':
      await recordListedFiles(tx, current, outcome.files);
      // Only the step job holding the product's lease comes here, and this is its last write on the product.
      await transitionProduct(tx, product.id, 'downloading', {
        reason: outcome.reason,
        onlyFrom,
        patch: { state, ...leaseEnded },
      });
      return 'files';
    case 'nodata':
      await transitionProduct(tx, product.id, 'nodata', {
        reason: outcome.error.message,
        onlyFrom,
        patch: {
          state,
          errorCode: outcome.error.code,
          errorParameter: outcome.error.parameter,
          errorMessage: outcome.error.message,
          ...leaseEnded,
        },
      });
      return 'ended';
    case 'rejected':
      await transitionProduct(tx, product.id, 'failed', {
        reason: outcome.error.message,
        onlyFrom,
        patch: {
          state,
          errorCode: outcome.error.code,
          errorParameter: outcome.error.parameter,
          errorMessage: outcome.error.message,
          ...leaseEnded,
        },
      });
      return 'failed';
    case 'reorder':
      await updateById(tx, 'products', product.id, { state });
      return 'reorder';
    case 'rows':
      // Written by appendRows, which must touch the file before it commits.
      throw new Error('a page of rows is committed by appendRows');
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown step outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * A step that waits on its service (the commonest kind: a product polled while the service prepares it) writes only
 * its state, which one conditional statement does where `commit` reads the product first in a transaction. When the
 * product has moved meanwhile (cancelled, restarted, or still to be moved out of `pending`), nothing is written and
 * `commit` decides what the outcome comes to.
 */
function savedWaitAlone(
  ctx: PipelineContext,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): Promise<boolean> {
  if (outcome.kind !== 'wait' || (outcome.events?.length ?? 0) > 0 || product.status !== 'preparing')
    return Promise.resolve(false);
  const patch: ProductPatch = {
    state: JSON.stringify(outcome.state),
    ...(outcome.note !== undefined ? { note: outcome.note } : {}),
    updatedAt: Date.now(),
  };
  return ctx.writes.writeOne((tx) => updateIfStepCurrent(tx, product, patch));
}

/**
 * Commits a step's outcome, then acts on it: queues the next step or the downloads, re-delays the job, lets the order
 * settle, or re-orders the product. Nothing is queued before its state is committed.
 */
export async function applyPrepareOutcome(
  ctx: PipelineContext,
  source: AnySource,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): Promise<JobResult> {
  if (outcome.kind === 'rows') return appendRows(ctx, source, product, outcome);
  const decision = (await savedWaitAlone(ctx, product, outcome))
    ? 'wait'
    : await ctx.writes.write(async (tx) => commit(tx, product, outcome));
  const options = { title: productTitle(source, product), orderId: product.orderId, generation: product.generation };
  switch (decision) {
    case 'continue':
      if (outcome.kind === 'continue' && outcome.failpointAfterSave) ctx.failpoints.reach(outcome.failpointAfterSave);
      await enqueue(ctx.queues, 'prepare', { productId: product.id, step: product.step + 1 }, options);
      return undefined;
    case 'wait':
      return { waitMs: outcome.kind === 'wait' ? outcome.waitMs : 0 };
    case 'files': {
      const downloading = await findProduct(ctx.db, product.id);
      const jobs = downloading ? await jobsForProduct(ctx.db, source, downloading) : [];
      if (jobs.length > 0) await enqueueMany(ctx.queues, jobs);
      // Every listed file was on disk already (a re-ordered product's, or one listed by another product).
      else await settleProduct(ctx, product.id);
      return undefined;
    }
    case 'ended':
      await settleOrder(ctx, product.orderId);
      return undefined;
    case 'failed':
      ctx.logger.warn({ orderId: product.orderId, productId: product.id }, 'product failed');
      if (outcome.kind === 'rejected' && outcome.endsOrder) await failWholeOrder(ctx, product.orderId, outcome.error);
      else await settleOrder(ctx, product.orderId);
      return { failed: outcome.kind === 'rejected' ? outcome.error.message : 'rejected' };
    case 'reorder': {
      const reason = outcome.kind === 'reorder' ? outcome.reason : 'ordered again';
      return (await reorderProduct(ctx, product.id, reason, product.generation)) === 'failed'
        ? { failed: reason }
        : undefined;
    }
    case 'cancelled':
      // The order was cancelled while the service was answering: make sure the service stops too.
      if (source.cancelRemote && source.hasRemoteWork(outcome.state)) {
        await enqueue(ctx.queues, 'cancelRemote', { productId: product.id }, options);
      }
      return undefined;
    case 'moved':
      return undefined;
  }
}
