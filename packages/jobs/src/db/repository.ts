import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { openFileStatuses } from '../state/file-status.js';
import { activeProductStatuses } from '../state/product-status.js';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { files, orders, products, type FileRow, type OrderRow, type ProductRow } from './schema.js';

/** Plain reads shared by the processors and the views. Writes live in `state/` and `db/row-writes.ts`. */

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

/** One file of an order by the source's reference. */
export function fileByRef(db: AppDatabase, orderId: string, ref: string): FileRow | undefined {
  return prepared(db, 'fileByRef', () =>
    db
      .select()
      .from(files)
      .where(and(eq(files.orderId, sql.placeholder('orderId')), eq(files.ref, sql.placeholder('ref'))))
      .prepare(),
  ).get({ orderId, ref });
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
      .where(and(eq(files.productId, sql.placeholder('productId')), inArray(files.status, [...openFileStatuses])))
      .limit(1)
      .prepare(),
  ).get({ productId });
  return row !== undefined;
}

/** Whether the product has any file at all, in any state. */
export function hasFiles(db: AppDatabase, productId: number): boolean {
  const row = prepared(db, 'hasFiles', () =>
    db
      .select({ id: files.id })
      .from(files)
      .where(eq(files.productId, sql.placeholder('productId')))
      .limit(1)
      .prepare(),
  ).get({ productId });
  return row !== undefined;
}

export function productsOfOrder(db: AppDatabase, orderId: string): ProductRow[] {
  return db.select().from(products).where(eq(products.orderId, orderId)).orderBy(asc(products.ordinal)).all();
}

/** The order's first `limit` products by ordinal (a big order's view shows only these). */
export function firstProductsOfOrder(db: AppDatabase, orderId: string, limit: number): ProductRow[] {
  return db
    .select()
    .from(products)
    .where(eq(products.orderId, orderId))
    .orderBy(asc(products.ordinal))
    .limit(limit)
    .all();
}

/** The order's products in one of `statuses`. */
export function productsOfOrderIn(db: AppDatabase, orderId: string, statuses: readonly string[]): ProductRow[] {
  return db
    .select()
    .from(products)
    .where(and(eq(products.orderId, orderId), inArray(products.status, [...statuses] as ProductRow['status'][])))
    .orderBy(asc(products.ordinal))
    .all();
}

export function filesOfProduct(db: AppDatabase, productId: number): FileRow[] {
  return prepared(db, 'filesOfProduct', () =>
    db
      .select()
      .from(files)
      .where(eq(files.productId, sql.placeholder('productId')))
      .orderBy(asc(files.id))
      .prepare(),
  ).all({ productId });
}

/** The product's files in one of `statuses`. */
export function filesOfProductIn(db: AppDatabase, productId: number, statuses: readonly string[]): FileRow[] {
  return filesOfProduct(db, productId).filter((file) => statuses.includes(file.status));
}

export function filesOfOrder(db: AppDatabase, orderId: string): FileRow[] {
  return db.select().from(files).where(eq(files.orderId, orderId)).orderBy(asc(files.productId), asc(files.id)).all();
}

/** The files of the given products, by product then id; in chunks, as SQLite bounds a statement's parameters. */
export function filesOfProducts(db: AppDatabase, productIds: readonly number[]): FileRow[] {
  const found: FileRow[] = [];
  for (let start = 0; start < productIds.length; start += 500) {
    const chunk = productIds.slice(start, start + 500);
    found.push(
      ...db
        .select()
        .from(files)
        .where(inArray(files.productId, chunk))
        .orderBy(asc(files.productId), asc(files.id))
        .all(),
    );
  }
  return found;
}

/** The order's files in one of `statuses`. */
export function filesOfOrderIn(db: AppDatabase, orderId: string, statuses: readonly string[]): FileRow[] {
  return db
    .select()
    .from(files)
    .where(and(eq(files.orderId, orderId), inArray(files.status, [...statuses] as FileRow['status'][])))
    .all();
}
