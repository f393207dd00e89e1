import { filesOfOrderIn, productsOfOrderIn } from '../db/repository.js';
import { removeQueuedJobsOfOrder } from '../orders/remove-queued-jobs.js';
import type { PipelineContext } from '../pipeline-context.js';
import type { ServiceError } from '../sources/source-port.js';
import { openFileStatuses } from '../state/file-status.js';
import { leaseEnded } from '../state/leases.js';
import { activeProductStatuses } from '../state/product-status.js';
import { transitionFile, transitionOrder, transitionProduct } from '../state/transition.js';

/**
 * The service refused something every product needs (a bad credential, an unknown asset): the order fails at once,
 * with the service's words, instead of each product being refused in turn. Its unfinished products and files fail
 * with it, so a restart, once the cause is fixed, picks them all up again; its queued jobs are removed.
 */
export async function failWholeOrder(ctx: PipelineContext, orderId: string, error: ServiceError): Promise<void> {
  const message = error.message;
  ctx.logger.error({ orderId, code: error.code, parameter: error.parameter }, `order failed: ${message}`);
  await ctx.writes.write(async (tx) => {
    const reason = `the order failed: ${message}`;
    for (const product of await productsOfOrderIn(tx, orderId, activeProductStatuses)) {
      await transitionProduct(tx, product.id, 'failed', {
        reason,
        patch: { errorCode: error.code, errorParameter: error.parameter, errorMessage: message, ...leaseEnded },
      });
    }
    for (const file of await filesOfOrderIn(tx, orderId, openFileStatuses)) {
      await transitionFile(tx, file.id, 'failed', { reason, patch: { lastError: message } });
    }
    await transitionOrder(tx, orderId, 'failed', {
      reason: message,
      onlyFrom: ['queued', 'running'],
      patch: { errorMessage: message, finishedAt: Date.now() },
    });
  });
  await removeQueuedJobsOfOrder(ctx.queues, orderId);
}
