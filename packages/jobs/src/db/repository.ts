import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { openFileStatuses } from '../state/file-status.js';
import { activeProductStatuses } from '../state/product-status.js';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import type { FileRow, OrderRow, ProductRow } from './schema.js';
import { tablesOf } from './tables.js';

/** Plain reads shared by the processors and the views. Writes live in `state/` and `db/row-writes.ts`. */

export async function findOrder(db: AppDatabase, orderId: string): Promise<OrderRow | undefined> {
  const { orders } = tablesOf(db);
  const [row] = await prepared(db, 'findOrder', () =>
    db
      .select()
      .from(orders)
      .where(eq(orders.id, sql.placeholder('id'))),
  ).execute({ id: orderId });
  return row;
}

export async function findProduct(db: AppDatabase, productId: number): Promise<ProductRow | undefined> {
  const { products } = tablesOf(db);
  const [row] = await prepared(db, 'findProduct', () =>
    db
      .select()
      .from(products)
      .where(eq(products.id, sql.placeholder('id'))),
  ).execute({ id: productId });
  return row;
}

export async function findFile(db: AppDatabase, fileId: number): Promise<FileRow | undefined> {
  const { files } = tablesOf(db);
  const [row] = await prepared(db, 'findFile', () =>
    db
      .select()
      .from(files)
      .where(eq(files.id, sql.placeholder('id'))),
  ).execute({ id: fileId });
  return row;
}

/**
 * A file with its product and order, in one read: a download needs all three, and each read apart is a round trip to
 * PostgreSQL. The three rows come from one snapshot, too.
 */
export async function findFileWithOwners(
  db: AppDatabase,
  fileId: number,
): Promise<{ file: FileRow; product: ProductRow; order: OrderRow } | undefined> {
  const { files, products, orders } = tablesOf(db);
  const [row] = await prepared(db, 'findFileWithOwners', () =>
    db
      .select({ file: files, product: products, order: orders })
      .from(files)
      .innerJoin(products, eq(products.id, files.productId))
      .innerJoin(orders, eq(orders.id, files.orderId))
      .where(eq(files.id, sql.placeholder('id'))),
  ).execute({ id: fileId });
  return row;
}

/** A product with its order, in one read (see findFileWithOwners). */
export async function findProductWithOrder(
  db: AppDatabase,
  productId: number,
): Promise<{ product: ProductRow; order: OrderRow } | undefined> {
  const { products, orders } = tablesOf(db);
  const [row] = await prepared(db, 'findProductWithOrder', () =>
    db
      .select({ product: products, order: orders })
      .from(products)
      .innerJoin(orders, eq(orders.id, products.orderId))
      .where(eq(products.id, sql.placeholder('id'))),
  ).execute({ id: productId });
  return row;
}

/** One file of an order by the source's reference. */
export async function fileByRef(db: AppDatabase, orderId: string, ref: string): Promise<FileRow | undefined> {
  const { files } = tablesOf(db);
  const [row] = await prepared(db, 'fileByRef', () =>
    db
      .select()
      .from(files)
      .where(and(eq(files.orderId, sql.placeholder('orderId')), eq(files.ref, sql.placeholder('ref')))),
  ).execute({ orderId, ref });
  return row;
}

/** Whether any product of the order is still being worked on: cheap where loading every product is not. */
export async function hasOpenProducts(db: AppDatabase, orderId: string): Promise<boolean> {
  const { products } = tablesOf(db);
  const [row] = await prepared(db, 'hasOpenProducts', () =>
    db
      .select({ id: products.id })
      .from(products)
      .where(
        and(eq(products.orderId, sql.placeholder('orderId')), inArray(products.status, [...activeProductStatuses])),
      )
      .limit(1),
  ).execute({ orderId });
  return row !== undefined;
}

/** Whether any file of the product is still waiting or being fetched. */
export async function hasOpenFiles(db: AppDatabase, productId: number): Promise<boolean> {
  const { files } = tablesOf(db);
  const [row] = await prepared(db, 'hasOpenFiles', () =>
    db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.productId, sql.placeholder('productId')), inArray(files.status, [...openFileStatuses])))
      .limit(1),
  ).execute({ productId });
  return row !== undefined;
}

/** Whether the product has any file at all, in any state. */
export async function hasFiles(db: AppDatabase, productId: number): Promise<boolean> {
  const { files } = tablesOf(db);
  const [row] = await prepared(db, 'hasFiles', () =>
    db
      .select({ id: files.id })
      .from(files)
      .where(eq(files.productId, sql.placeholder('productId')))
      .limit(1),
  ).execute({ productId });
  return row !== undefined;
}

export async function productsOfOrder(db: AppDatabase, orderId: string): Promise<ProductRow[]> {
  const { products } = tablesOf(db);
  return db.select().from(products).where(eq(products.orderId, orderId)).orderBy(asc(products.ordinal));
}

/** The order's first `limit` products by ordinal (a big order's view shows only these). */
export async function firstProductsOfOrder(db: AppDatabase, orderId: string, limit: number): Promise<ProductRow[]> {
  const { products } = tablesOf(db);
  return db.select().from(products).where(eq(products.orderId, orderId)).orderBy(asc(products.ordinal)).limit(limit);
}

/** The order's products in one of `statuses`. */
export async function productsOfOrderIn(
  db: AppDatabase,
  orderId: string,
  statuses: readonly string[],
): Promise<ProductRow[]> {
  const { products } = tablesOf(db);
  return db
    .select()
    .from(products)
    .where(and(eq(products.orderId, orderId), inArray(products.status, [...statuses] as ProductRow['status'][])))
    .orderBy(asc(products.ordinal));
}

export async function filesOfProduct(db: AppDatabase, productId: number): Promise<FileRow[]> {
  const { files } = tablesOf(db);
  return prepared(db, 'filesOfProduct', () =>
    db
      .select()
      .from(files)
      .where(eq(files.productId, sql.placeholder('productId')))
      .orderBy(asc(files.id)),
  ).execute({ productId });
}

/** The product's files in one of `statuses`. */
export async function filesOfProductIn(
  db: AppDatabase,
  productId: number,
  statuses: readonly string[],
): Promise<FileRow[]> {
  return (await filesOfProduct(db, productId)).filter((file) => statuses.includes(file.status));
}

export async function filesOfOrder(db: AppDatabase, orderId: string): Promise<FileRow[]> {
  const { files } = tablesOf(db);
  return db.select().from(files).where(eq(files.orderId, orderId)).orderBy(asc(files.productId), asc(files.id));
}

/** The files of the given products, by product then id; in chunks, as SQLite bounds a statement's parameters. */
export async function filesOfProducts(db: AppDatabase, productIds: readonly number[]): Promise<FileRow[]> {
  const { files } = tablesOf(db);
  const found: FileRow[] = [];
  for (let start = 0; start < productIds.length; start += 500) {
    const chunk = productIds.slice(start, start + 500);
    found.push(
      ...(await db
        .select()
        .from(files)
        .where(inArray(files.productId, chunk))
        .orderBy(asc(files.productId), asc(files.id))),
    );
  }
  return found;
}

/** The order's files in one of `statuses`. */
export async function filesOfOrderIn(
  db: AppDatabase,
  orderId: string,
  statuses: readonly string[],
): Promise<FileRow[]> {
  const { files } = tablesOf(db);
  return db
    .select()
    .from(files)
    .where(and(eq(files.orderId, orderId), inArray(files.status, [...statuses] as FileRow['status'][])));
}
