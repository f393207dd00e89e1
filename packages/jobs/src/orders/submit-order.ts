import { randomUUID } from 'node:crypto';
import type { AppDatabase } from '../db/database.js';
import { insertOrder, orderWithIdempotencyKey } from '../db/insert-order.js';
import { findOrder } from '../db/repository.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import { enqueue, type PipelineQueues } from '../queues/pipeline-queues.js';
import { withinDeadline } from '../queues/within-deadline.js';
import type { SourceRegistry } from '../sources/source-registry.js';
import { parseOrderSpec } from './order-spec.js';
import { IdempotencyConflictError } from './idempotency-conflict-error.js';
import { webhookEventTypes } from '../webhooks/notify-spec.js';

export interface SubmitDependencies {
  db: AppDatabase;
  queues: PipelineQueues;
  sources: SourceRegistry;
  maxProductsPerOrder: number;
  /**
   * How long the caller waits for Redis to take the order's first job, in ms. Default 2,000. The order is already
   * committed by then: when Redis is slow or down, the answer says queueing is pending and a worker's reconciler
   * queues the order once Redis answers again, so a caller is never held hostage by Redis.
   */
  enqueueTimeoutMs?: number;
  /** Where orders that name no `notify` announce their end (WEBHOOK_URL); none when unset. */
  defaultWebhookUrl?: string | undefined;
}

export const defaultEnqueueTimeoutMs = 2_000;

export interface SubmitResult {
  orderId: string;
  /** False when the Idempotency-Key named an order that already existed: nothing new was created. */
  created: boolean;
  /**
   * 'done': the order's first job is in Redis. 'pending': Redis did not take it within `enqueueTimeoutMs` (or failed);
   * the order is stored all the same, and the reconciler queues it (at a worker's start, then every
   * RECONCILE_INTERVAL_MS). An order that already existed reports 'done'.
   */
  queueing: 'done' | 'pending';
}

/**
 * Accepts an order: validates it, expands it into products, and writes the order and all its products in one
 * transaction before anything is queued — so an accepted order is never half-written and survives any crash. The
 * expand job then queues the products; if queuing fails, the reconciler finds the order and queues it later.
 * Used by the API and by batch pipelines in-process.
 */
export async function submitOrder(
  deps: SubmitDependencies,
  input: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<SubmitResult> {
  const { sourceName, spec, notify } = parseOrderSpec(deps.sources, input);
  const source = deps.sources.get(sourceName);
  const plans = source.expand(spec, { maxProducts: deps.maxProductsPerOrder });
  const specJson = JSON.stringify(spec);
  const label = source.labelOf(spec) ?? null;
  const idempotencyKey = options.idempotencyKey?.trim() || null;
  // Resolved now, so that the order's view shows who will be told, and a later change of WEBHOOK_URL changes no
  // order already accepted.
  const target =
    notify ?? (deps.defaultWebhookUrl ? { url: deps.defaultWebhookUrl, events: [...webhookEventTypes] } : null);
  const notifyJson = target ? JSON.stringify(target) : null;

  const outcome = await inWriteTransaction(deps.db, async (tx) => {
    if (idempotencyKey) {
      const existing = await orderWithIdempotencyKey(tx, idempotencyKey);
      if (existing) {
        // A `notify` the retry names must be the same; one it leaves to the deployment's default is not compared, so
        // a retry after WEBHOOK_URL changed still finds its order.
        const notifyDiffers = notify !== undefined && existing.notify !== notifyJson;
        if (existing.submittedSpec !== specJson || notifyDiffers) {
          throw new IdempotencyConflictError(idempotencyKey, existing.id);
        }
        return { orderId: existing.id, created: false };
      }
    }
    const orderId = randomUUID();
    await insertOrder(tx, {
      id: orderId,
      source: sourceName,
      label,
      spec: specJson,
      notify: notifyJson,
      idempotencyKey,
      products: plans.map((plan) => ({ params: JSON.stringify(plan.params), state: JSON.stringify(plan.state) })),
    });
    return { orderId, created: true };
  });

  if (!outcome.created) return { ...outcome, queueing: 'done' };
  const order = await findOrder(deps.db, outcome.orderId);
  const queued = enqueue(
    deps.queues,
    'expand',
    { orderId: outcome.orderId },
    { title: `order ${label ?? outcome.orderId}`, orderId: outcome.orderId, generation: order?.generation ?? 0 },
  );
  const queueing = await withinDeadline(queued, deps.enqueueTimeoutMs ?? defaultEnqueueTimeoutMs).then(
    (result) => (result === 'done' ? ('done' as const) : ('pending' as const)),
    // Redis refused outright: the order is committed all the same, and the reconciler will queue it.
    () => 'pending' as const,
  );
  return { ...outcome, queueing };
}
