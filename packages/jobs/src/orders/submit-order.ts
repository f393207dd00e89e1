import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppDatabase } from '../db/database.js';
import { findOrder } from '../db/repository.js';
import { orders, products } from '../db/schema.js';
import { enqueue, type PipelineQueues } from '../queues/pipeline-queues.js';
import { withinDeadline } from '../queues/within-deadline.js';
import { expandOrder } from './expand-order.js';
import { orderSpecSchema, type OrderSpec } from './order-spec.js';
import { OrderSpecError } from './order-spec-error.js';
import { IdempotencyConflictError } from './idempotency-conflict-error.js';

export interface SubmitDependencies {
  db: AppDatabase;
  queues: PipelineQueues;
  maxProductsPerOrder: number;
  /**
   * How long the caller waits for Redis to take the order's first job, in ms. Default 2,000. The order is already
   * committed by then: when Redis is slow or down, the answer says queueing is pending and a worker's reconciler
   * queues the order once Redis answers again, so a caller is never held hostage by Redis.
   */
  enqueueTimeoutMs?: number;
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

function specIssues(error: z.ZodError): OrderSpecError {
  return new OrderSpecError(
    error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(order)', message: issue.message })),
  );
}

/** Checks and normalises a submitted spec; throws OrderSpecError naming every bad field. */
export function parseOrderSpec(input: unknown): OrderSpec {
  const parsed = orderSpecSchema.safeParse(input);
  if (!parsed.success) throw specIssues(parsed.error);
  return parsed.data;
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
  const spec = parseOrderSpec(input);
  const productFilters = expandOrder(spec, deps.maxProductsPerOrder);
  const specJson = JSON.stringify(spec);
  const idempotencyKey = options.idempotencyKey?.trim() || null;

  const outcome = deps.db.transaction(
    (tx) => {
      if (idempotencyKey) {
        const existing = tx.select().from(orders).where(eq(orders.idempotencyKey, idempotencyKey)).get();
        if (existing) {
          if (existing.spec !== specJson) throw new IdempotencyConflictError(idempotencyKey, existing.id);
          return { orderId: existing.id, created: false };
        }
      }
      const orderId = randomUUID();
      tx.insert(orders)
        .values({
          id: orderId,
          label: spec.label ?? null,
          status: 'queued',
          spec: specJson,
          deleteFile: spec.deleteFile,
          includeMetadataFile: spec.includeMetadataFile,
          productCount: productFilters.length,
          idempotencyKey,
        })
        .run();
      const chunk = 500;
      for (let start = 0; start < productFilters.length; start += chunk) {
        tx.insert(products)
          .values(
            productFilters.slice(start, start + chunk).map((filters, offset) => ({
              orderId,
              ordinal: start + offset,
              filters: JSON.stringify(filters),
              status: 'pending',
            })),
          )
          .run();
      }
      return { orderId, created: true };
    },
    { behavior: 'immediate' },
  );

  if (!outcome.created) return { ...outcome, queueing: 'done' };
  const order = findOrder(deps.db, outcome.orderId);
  const queued = enqueue(
    deps.queues,
    'expand',
    { orderId: outcome.orderId },
    { title: `order ${spec.label ?? outcome.orderId}`, orderId: outcome.orderId, generation: order?.generation ?? 0 },
  );
  const queueing = await withinDeadline(queued, deps.enqueueTimeoutMs ?? defaultEnqueueTimeoutMs).then(
    (result) => (result === 'done' ? ('done' as const) : ('pending' as const)),
    // Redis refused outright: the order is committed all the same, and the reconciler will queue it.
    () => 'pending' as const,
  );
  return { ...outcome, queueing };
}
