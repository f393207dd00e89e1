import { and, asc, eq } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { files, orders, products, runs, type FileRow, type OrderRow, type ProductRow, type RunRow } from './schema.js';

/** Plain reads shared by the processors and the views. Writes of status columns live in `state/transition.ts`. */

export function findOrder(db: AppDatabase, orderId: string): OrderRow | undefined {
  return db.select().from(orders).where(eq(orders.id, orderId)).get();
}

export function findProduct(db: AppDatabase, productId: number): ProductRow | undefined {
  return db.select().from(products).where(eq(products.id, productId)).get();
}

export function findFile(db: AppDatabase, fileId: number): FileRow | undefined {
  return db.select().from(files).where(eq(files.id, fileId)).get();
}

export function productsOfOrder(db: AppDatabase, orderId: string): ProductRow[] {
  return db.select().from(products).where(eq(products.orderId, orderId)).orderBy(asc(products.ordinal)).all();
}

export function runsOfProduct(db: AppDatabase, productId: number): RunRow[] {
  return db.select().from(runs).where(eq(runs.productId, productId)).orderBy(asc(runs.ordinal)).all();
}

export function runOfProduct(db: AppDatabase, productId: number, ordinal: number): RunRow | undefined {
  return db
    .select()
    .from(runs)
    .where(and(eq(runs.productId, productId), eq(runs.ordinal, ordinal)))
    .get();
}

export function filesOfProduct(db: AppDatabase, productId: number): FileRow[] {
  return db
    .select()
    .from(files)
    .where(eq(files.productId, productId))
    .orderBy(asc(files.runOrdinal), asc(files.id))
    .all();
}

export function filesOfOrder(db: AppDatabase, orderId: string): FileRow[] {
  return db.select().from(files).where(eq(files.orderId, orderId)).orderBy(asc(files.productId), asc(files.id)).all();
}

/** A product's filters as stored (JSON of ONC filter strings). */
export function filtersOf(product: ProductRow): Record<string, string> {
  return JSON.parse(product.filters) as Record<string, string>;
}
