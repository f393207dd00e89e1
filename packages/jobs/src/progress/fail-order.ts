import type { PipelineContext } from '../pipeline-context.js';
import { transitionOrder } from '../state/transition.js';

/**
 * The order's own step (queueing its products, or finishing it) failed on every attempt: the order ends `failed`
 * with the reason shown, instead of being retried by the reconciler forever. A restart picks it up again.
 */
export async function failOrder(ctx: PipelineContext, orderId: string, message: string): Promise<void> {
  ctx.logger.error({ orderId }, message);
  await transitionOrder(ctx.db, orderId, 'failed', {
    reason: message,
    onlyFrom: ['queued', 'running'],
    patch: { errorMessage: message, finishedAt: Date.now() },
  });
}
