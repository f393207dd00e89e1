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

function eventsOf(outcome: PrepareOutcome<unknown, unknown>): ReadonlyArray<{ kind: string; reason: string }> {
  return 'events' in outcome ? (outcome.events ?? []) : [];
}

/**
 * The outcomes that move a product on (its next step, its downloads), written where the step found the product
 * without reading it first: the move is conditional on the product's status, step and generation, so nothing that
 * moved it meanwhile (a cancel, a restart, another step) is overwritten. Undefined when it had moved; `commit` then
 * reads it and decides. Outcomes that carry events are left to `commit`, which records them before the move.
 */
async function movedFromWhereFound(
  tx: AppDatabase,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): Promise<'continue' | 'files' | undefined> {
  if ((outcome.kind !== 'continue' && outcome.kind !== 'files') || eventsOf(outcome).length > 0) return undefined;
  if (product.status !== 'pending' && product.status !== 'preparing') return undefined;
  const state = JSON.stringify(outcome.state);
  const where = { onlyFrom: [product.status], atStep: { step: product.step, generation: product.generation } };
  if (outcome.kind === 'files') {
    const patch = { state, ...leaseEnded };
    const { changed } = await transitionProduct(tx, product.id, 'downloading', {
      reason: outcome.reason,
      patch,
      ...where,
    });
    if (!changed) return undefined;
    await recordListedFiles(tx, product, outcome.files);
    return 'files';
  }
  const patch = { state, step: product.step + 1, ...leaseEnded };
  if (product.status === 'pending') {
    const { changed } = await transitionProduct(tx, product.id, 'preparing', {
      reason: outcome.reason,
      patch,
      ...where,
    });
    if (!changed) return undefined;
  } else {
    if (!(await updateIfStepCurrent(tx, product, { ...patch, updatedAt: Date.now() }))) return undefined;
    await recordEvent(tx, product.orderId, 'product', product.id, 'step', outcome.reason);
  }
  // A page of a listing that goes on: its files are saved with the state that points past it.
  if (outcome.files) await recordListedFiles(tx, product, outcome.files);
  return 'continue';
}

/**
 * A product's first step that goes on to the next, written alone (see savedAlone), may have committed although its
 * connection was lost before the answer came, and then been sent again and found the product moved: by itself, to
 * just where that write put it.
 */
function isWhereFirstStepLeftIt(
  current: ProductRow,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): boolean {
  return (
    outcome.kind === 'continue' &&
    product.status === 'pending' &&
    current.status === 'preparing' &&
    current.step === product.step + 1 &&
    current.generation === product.generation &&
    current.state === JSON.stringify(outcome.state)
  );
}

/** Commits what a step came to (the source's new state and the product's next status) in one transaction. */
async function commit(
  tx: AppDatabase,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): Promise<Decision> {
  const moved = await movedFromWhereFound(tx, product, outcome);
  if (moved) return moved;
  const current = await findProduct(tx, product.id);
  if (!current) return 'moved';
  const state = JSON.stringify(outcome.state);
  if (current.status === 'cancelled') {
    // Cancelled while the service answered: what the service said is kept (a cancel of its work needs it).
    await updateById(tx, 'products', product.id, { state });
    return 'cancelled';
  }
  if (!stepIsCurrent(current, product)) return isWhereFirstStepLeftIt(current, product, outcome) ? 'continue' : 'moved';
  const onlyFrom = ['pending', 'preparing'] as const;
  const events = eventsOf(outcome);
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
 * The two commonest outcomes that change one row and nothing else, each written as one conditional statement where
 * `commit` reads the product first in a transaction: a step that waits on its service (a product polled while the
 * service prepares it) writes its state; a product's first step that goes on to the next moves it to `preparing`
 * (the history row is part of that statement on PostgreSQL). When the product has moved meanwhile (cancelled,
 * restarted, or at another step), nothing is written and `commit` decides what the outcome comes to.
 */
async function savedAlone(
  ctx: PipelineContext,
  product: ProductRow,
  outcome: PrepareOutcome<unknown, unknown>,
): Promise<'wait' | 'continue' | undefined> {
  if (eventsOf(outcome).length > 0) return undefined;
  if (outcome.kind === 'wait' && product.status === 'preparing') {
    const patch: ProductPatch = {
      state: JSON.stringify(outcome.state),
      ...(outcome.note !== undefined ? { note: outcome.note } : {}),
      updatedAt: Date.now(),
    };
    return (await ctx.writes.writeOne((tx) => updateIfStepCurrent(tx, product, patch))) ? 'wait' : undefined;
  }
  if (outcome.kind === 'continue' && product.status === 'pending' && !outcome.files) {
    // Sent again after a lost connection, it finds the product moved by its first sending: isWhereFirstStepLeftIt.
    const moved = await ctx.writes.writeOne((tx) => movedFromWhereFound(tx, product, outcome));
    return moved === 'continue' ? moved : undefined;
  }
  return undefined;
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
  const decision =
    (await savedAlone(ctx, product, outcome)) ?? (await ctx.writes.write(async (tx) => commit(tx, product, outcome)));
  const options = { title: productTitle(source, product), orderId: product.orderId, generation: product.generation };
  switch (decision) {
    case 'continue':
      if (outcome.kind === 'continue' && outcome.failpointAfterSave) ctx.failpoints.reach(outcome.failpointAfterSave);
      await enqueue(ctx.queues, 'prepare', { productId: product.id, step: product.step + 1 }, options);
      return undefined;
    case 'wait':
      return { waitMs: outcome.kind === 'wait' ? outcome.waitMs : 0 };
    case 'files': {
      // As the commit left it, the product is the one the step found, downloading: no need to read it again. A cancel
      // that comes meanwhile ends its files too, so their jobs find nothing to do.
      const jobs = await jobsForProduct(ctx.db, source, { ...product, status: 'downloading' });
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
