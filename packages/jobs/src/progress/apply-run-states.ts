import type { RunInfo } from '@onc-orders/onc-client';
import { findProduct } from '../db/repository.js';
import type { ProductRow } from '../db/schema.js';
import type { PipelineContext } from '../pipeline-context.js';
import { productTitle } from '../queues/job-titles.js';
import { enqueue, enqueueMany } from '../queues/pipeline-queues.js';
import { activeProductStatuses } from '../state/product-status.js';
import { jobsForProduct } from '../queues/jobs-for-product.js';
import { transitionProduct } from '../state/transition.js';
import { createFilesAndStartDownloading, recordRuns } from './record-runs.js';
import { settleOrder } from './settle.js';

/**
 * Records what ONC says of a product's runs and acts on it: a run in error or cancelled on ONC's side ends the
 * product; when every run is complete the downloads are queued; otherwise the product keeps waiting ('waiting').
 */
export async function applyRunStates(
  ctx: PipelineContext,
  product: ProductRow,
  runs: readonly RunInfo[],
  reason: string,
): Promise<'waiting' | 'settled'> {
  if (runs.length === 0) throw new Error(`ONC reported no run for dpRequestId ${product.dpRequestId}`);
  // One write transaction: the runs, the decision and the product's next state are recorded together.
  const decision = await ctx.writes.write((tx): 'cancelled' | 'moved' | 'failed' | 'downloading' | 'waiting' => {
    recordRuns(tx, product.id, runs);
    const current = findProduct(tx, product.id);
    if (current?.status === 'cancelled') return 'cancelled';
    if (current?.status !== product.status) return 'moved';
    const broken = runs.find((run) => run.status === 'error' || run.status === 'cancelled');
    if (broken) {
      const what = broken.status === 'error' ? 'ended in error' : 'was cancelled on ONC';
      transitionProduct(tx, product.id, 'failed', {
        onlyFrom: activeProductStatuses,
        reason: `run ${broken.dpRunId} ${what}`,
        patch: { errorMessage: `ONC run ${broken.dpRunId} ${what} (${broken.rawStatus})` },
      });
      return 'failed';
    }
    if (runs.every((run) => run.status === 'complete')) {
      createFilesAndStartDownloading(tx, current, `${reason}; every run is complete`);
      return 'downloading';
    }
    transitionProduct(tx, product.id, 'running', { reason, onlyFrom: ['requested'] });
    return 'waiting';
  });
  switch (decision) {
    case 'cancelled': {
      // The order was cancelled while ONC was answering: make sure ONC stops too.
      const current = findProduct(ctx.db, product.id) ?? product;
      await enqueue(
        ctx.queues,
        'cancelRuns',
        { productId: product.id },
        { title: productTitle(current), orderId: current.orderId, generation: current.generation },
      );
      return 'settled';
    }
    case 'moved':
      return 'settled';
    case 'failed':
      await settleOrder(ctx, product.orderId);
      return 'settled';
    case 'downloading': {
      const downloading = findProduct(ctx.db, product.id);
      if (downloading) await enqueueMany(ctx.queues, jobsForProduct(ctx.db, downloading));
      return 'settled';
    }
    case 'waiting':
      return 'waiting';
  }
}
