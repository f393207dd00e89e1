import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { activeProductStatuses } from '../state/product-status.js';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { files, orders, products, runs, type FileRow, type OrderRow, type ProductRow, type RunRow } from './schema.js';

/** Plain reads shared by the processors and the views. Writes of status columns live in `state/transition.ts`. */

export function findOrder(db: AppDatabase, orderId: string): OrderRow | undefined {
  return prepared(db, 'findOrder', () =>
    db
      .select()
      .from(orders)
      .where(eq(orders.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: orderId });
}

export function findProduct(db: AppDatabase, productId: number): ProductRow | undefined {
  return prepared(db, 'findProduct', () =>
    db
      .select()
      .from(products)
      .where(eq(products.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: productId });
}

export function findFile(db: AppDatabase, fileId: number): FileRow | undefined {
  return prepared(db, 'findFile', () =>
    db
      .select()
      .from(files)
      .where(eq(files.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id: fileId });
}

/** Whether any product of the order is still being worked on: cheap where loading every product is not. */
export function hasOpenProducts(db: AppDatabase, orderId: string): boolean {
  const row = prepared(db, 'hasOpenProducts', () =>
    db
      .select({ id: products.id })
      .from(products)
      .where(
        and(eq(products.orderId, sql.placeholder('orderId')), inArray(products.status, [...activeProductStatuses])),
      )
      .limit(1)
      .prepare(),
  ).get({ orderId });
  return row !== undefined;
}

/** Whether any file of the product is still waiting or being fetched. */
export function hasOpenFiles(db: AppDatabase, productId: number): boolean {
  const row = prepared(db, 'hasOpenFiles', () =>
    db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.productId, sql.placeholder('productId')), inArray(files.status, ['pending', 'downloading'])))
      .limit(1)
      .prepare(),
  ).get({ productId });
  return row !== undefined;
}

export function productsOfOrder(db: AppDatabase, orderId: string): ProductRow[] {
  return db.select().from(products).where(eq(products.orderId, orderId)).orderBy(asc(products.ordinal)).all();
}

export function runsOfProduct(db: AppDatabase, productId: number): RunRow[] {
  return prepared(db, 'runsOfProduct', () =>
    db
      .select()
      .from(runs)
      .where(eq(runs.productId, sql.placeholder('productId')))
      .orderBy(asc(runs.ordinal))
      .prepare(),
  ).all({ productId });
}

export function runOfProduct(db: AppDatabase, productId: number, ordinal: number): RunRow | undefined {
  return prepared(db, 'runOfProduct', () =>
    db
      .select()
      .from(runs)
      .where(and(eq(runs.productId, sql.placeholder('productId')), eq(runs.ordinal, sql.placeholder('ordinal'))))
      .prepare(),
  ).get({ productId, ordinal });
}

export function filesOfProduct(db: AppDatabase, productId: number): FileRow[] {
  return prepared(db, 'filesOfProduct', () =>
    db
      .select()
      .from(files)
      .where(eq(files.productId, sql.placeholder('productId')))
      .orderBy(asc(files.runOrdinal), asc(files.id))
      .prepare(),
  ).all({ productId });
}

/** One file of a product's run by its index (`meta` or a 1-based number). */
export function fileAt(db: AppDatabase, productId: number, runOrdinal: number, fileIndex: string): FileRow | undefined {
  return prepared(db, 'fileAt', () =>
    db
      .select()
      .from(files)
      .where(
        and(
          eq(files.productId, sql.placeholder('productId')),
          eq(files.runOrdinal, sql.placeholder('runOrdinal')),
          eq(files.fileIndex, sql.placeholder('fileIndex')),
        ),
      )
      .prepare(),
  ).get({ productId, runOrdinal, fileIndex });
}

export function filesOfOrder(db: AppDatabase, orderId: string): FileRow[] {
  return db.select().from(files).where(eq(files.orderId, orderId)).orderBy(asc(files.productId), asc(files.id)).all();
}

/** A product's filters as stored (JSON of ONC filter strings). */
export function filtersOf(product: ProductRow): Record<string, string> {
  return JSON.parse(product.filters) as Record<string, string>;
}
