import { eq } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import type { OrderRow } from './schema.js';
import { tablesOf } from './tables.js';

export interface NewOrder {
  id: string;
  source: string;
  label: string | null;
  spec: string;
  /** The order's webhook target as JSON, or null. */
  notify: string | null;
  idempotencyKey: string | null;
  products: ReadonlyArray<{ params: string; state: string }>;
}

/** The order a submission's Idempotency-Key already created, if any. */
export async function orderWithIdempotencyKey(db: AppDatabase, key: string): Promise<OrderRow | undefined> {
  const { orders } = tablesOf(db);
  const [order] = await db.select().from(orders).where(eq(orders.idempotencyKey, key));
  return order;
}

/**
 * Creates an order in `queued` and its products in `pending`, the states they start in. The caller runs it inside
 * one transaction with its checks, so an order is never half-written.
 */
export async function insertOrder(db: AppDatabase, order: NewOrder): Promise<void> {
  const { orders } = tablesOf(db);
  await db.insert(orders).values({
    id: order.id,
    source: order.source,
    label: order.label,
    status: 'queued',
    spec: order.spec,
    submittedSpec: order.spec,
    notify: order.notify,
    productCount: order.products.length,
    idempotencyKey: order.idempotencyKey,
  });
  await insertProducts(db, order.id, order.source, 0, order.products);
}

/** Creates an order's products in `pending`, numbered from `firstOrdinal` on (a source may add some when it starts). */
export async function insertProducts(
  db: AppDatabase,
  orderId: string,
  source: string,
  firstOrdinal: number,
  plans: ReadonlyArray<{ params: string; state: string }>,
): Promise<void> {
  const { products } = tablesOf(db);
  const chunk = 500;
  for (let start = 0; start < plans.length; start += chunk) {
    await db.insert(products).values(
      plans.slice(start, start + chunk).map((product, offset) => ({
        orderId,
        source,
        ordinal: firstOrdinal + start + offset,
        params: product.params,
        state: product.state,
        status: 'pending' as const,
      })),
    );
  }
}
