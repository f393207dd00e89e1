import { eq } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { orders, products, type OrderRow } from './schema.js';

export interface NewOrder {
  id: string;
  source: string;
  label: string | null;
  spec: string;
  idempotencyKey: string | null;
  products: ReadonlyArray<{ params: string; state: string }>;
}

/** The order a submission's Idempotency-Key already created, if any. */
export function orderWithIdempotencyKey(db: AppDatabase, key: string): OrderRow | undefined {
  return db.select().from(orders).where(eq(orders.idempotencyKey, key)).get();
}

/**
 * Creates an order in `queued` and its products in `pending`, the states they start in. The caller runs it inside
 * one transaction with its checks, so an order is never half-written.
 */
export function insertOrder(db: AppDatabase, order: NewOrder): void {
  db.insert(orders)
    .values({
      id: order.id,
      source: order.source,
      label: order.label,
      status: 'queued',
      spec: order.spec,
      submittedSpec: order.spec,
      productCount: order.products.length,
      idempotencyKey: order.idempotencyKey,
    })
    .run();
  const chunk = 500;
  for (let start = 0; start < order.products.length; start += chunk) {
    db.insert(products)
      .values(
        order.products.slice(start, start + chunk).map((product, offset) => ({
          orderId: order.id,
          source: order.source,
          ordinal: start + offset,
          params: product.params,
          state: product.state,
          status: 'pending' as const,
        })),
      )
      .run();
  }
}
