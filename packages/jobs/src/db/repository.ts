import { and, asc, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { openFileStatuses } from '../state/file-status.js';
import { activeProductStatuses } from '../state/product-status.js';
import { inKeyOrder, readByKey, type KeyedRead } from './batched-reads.js';
import type { AppDatabase } from './database.js';
import { pgStatement, runPgStatement } from './pg-statement.js';
import { prepared } from './prepared.js';
import type { FileRow, OrderRow, ProductRow } from './schema.js';
import { dialectOf, tablesOf } from './tables.js';

/**
 * Plain reads shared by the processors and the views. Writes live in `state/` and `db/row-writes.ts`. The reads every
 * job makes go out together on PostgreSQL's pool (batched-reads.ts): each is written for one key and for a batch of
 * keys, where `= any($1)` takes the keys as one array, so that one prepared statement serves every size.
 */

/** The statement a read builds for its key: one row by `key`, or those among `keys` (see rowsByKey). */
type KeyCondition = (column: SQLWrapper) => SQL;

const isKey: KeyCondition = (column) => sql`${column} = ${sql.placeholder('key')}`;
/** PostgreSQL's pool only: SQLite has no arrays. */
const isAnyKey: KeyCondition = (column) => sql`${column} = any(${sql.placeholder('keys')})`;

interface RowsQuery<R> {
  prepare(): { execute(values: Record<string, unknown>): R[] | Promise<R[]> };
}

/** A read of the row (or joined rows) with a key, whose statement `select` builds for either condition. */
function rowsByKey<K, R>(
  name: string,
  select: (db: AppDatabase, condition: KeyCondition) => RowsQuery<R>,
  keyOf: (row: R) => K,
): KeyedRead<K, R | undefined> {
  return {
    name,
    one: async (db, key) => (await prepared(db, name, () => select(db, isKey)).execute({ key }))[0],
    many: async (db, keys) =>
      inKeyOrder(keys, await prepared(db, `${name}:many`, () => select(db, isAnyKey)).execute({ keys }), keyOf),
  };
}

const orderById = rowsByKey(
  'findOrder',
  (db, condition) => {
    const { orders } = tablesOf(db);
    return db.select().from(orders).where(condition(orders.id));
  },
  (row) => row.id,
);

export function findOrder(db: AppDatabase, orderId: string): Promise<OrderRow | undefined> {
  return readByKey(db, orderById, orderId);
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

const productStatusLocked = pgStatement(
  'lockProductStatus',
  'select "status", "order_id" from "products" where "id" = $1 for no key update',
);

/**
 * A product's status and order, read inside a transaction with its row locked until the transaction ends: on
 * PostgreSQL by `FOR NO KEY UPDATE` (files that refer to it can still be inserted), on SQLite by the IMMEDIATE
 * transaction itself, which holds the whole database's write lock.
 */
export async function lockProductStatus(
  tx: AppDatabase,
  productId: number,
): Promise<Pick<ProductRow, 'status' | 'orderId'> | undefined> {
  if (dialectOf(tx) === 'sqlite') return findProduct(tx, productId);
  const [row] = await runPgStatement<{ status: ProductRow['status']; order_id: string }>(tx, productStatusLocked, [
    productId,
  ]);
  return row && { status: row.status, orderId: row.order_id };
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

export interface FileWithOwners {
  file: FileRow;
  product: ProductRow;
  order: OrderRow;
}

const fileWithOwnersById = rowsByKey(
  'findFileWithOwners',
  (db, condition) => {
    const { files, products, orders } = tablesOf(db);
    return db
      .select({ file: files, product: products, order: orders })
      .from(files)
      .innerJoin(products, eq(products.id, files.productId))
      .innerJoin(orders, eq(orders.id, files.orderId))
      .where(condition(files.id));
  },
  (row): number => row.file.id,
);

/**
 * A file with its product and order, in one read: a download needs all three, and each read apart is a round trip to
 * PostgreSQL. The three rows come from one snapshot, too.
 */
export function findFileWithOwners(db: AppDatabase, fileId: number): Promise<FileWithOwners | undefined> {
  return readByKey(db, fileWithOwnersById, fileId);
}

export interface ProductWithOrder {
  product: ProductRow;
  order: OrderRow;
}

const productWithOrderById = rowsByKey(
  'findProductWithOrder',
  (db, condition) => {
    const { products, orders } = tablesOf(db);
    return db
      .select({ product: products, order: orders })
      .from(products)
      .innerJoin(orders, eq(orders.id, products.orderId))
      .where(condition(products.id));
  },
  (row): number => row.product.id,
);

/** A product with its order, in one read (see findFileWithOwners). */
export function findProductWithOrder(db: AppDatabase, productId: number): Promise<ProductWithOrder | undefined> {
  return readByKey(db, productWithOrderById, productId);
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

/**
 * Whether the key has a row in `table` whose `column` is the key and whose status is one of `statuses`. One key looks
 * for its first such row by index (LIMIT 1); a batch, each of its keys likewise, inside one `unnest … where exists`.
 */
function hasRowsIn<K>(
  name: string,
  table: 'products' | 'files',
  column: 'order_id' | 'product_id',
  keyType: 'text' | 'integer',
  statuses: readonly string[],
): KeyedRead<K, boolean> {
  const many = pgStatement(
    `${name}:many`,
    [
      `select k."key" from unnest($1::${keyType}[]) as k("key")`,
      `where exists (select 1 from "${table}" t where t."${column}" = k."key" and t."status" = any($2::text[]))`,
    ].join(' '),
  );
  return {
    name,
    one: async (db, key) => {
      const [row] = await prepared(db, name, () => {
        const target = tablesOf(db)[table];
        return db
          .select({ id: target.id })
          .from(target)
          .where(
            sql`${sql.identifier(column)} = ${sql.placeholder('key')} and ${target.status} in (${sql.join(
              statuses.map((status) => sql`${status}`),
              sql`, `,
            )})`,
          )
          .limit(1);
      }).execute({ key });
      return row !== undefined;
    },
    many: async (db, keys) =>
      inKeyOrder(
        keys,
        await runPgStatement<{ key: K }>(db, many, [keys, statuses]),
        (row) => row.key,
        () => true,
        false,
      ),
  };
}

const orderHasOpenProducts = hasRowsIn<string>(
  'hasOpenProducts',
  'products',
  'order_id',
  'text',
  activeProductStatuses,
);

/** Whether any product of the order is still being worked on: cheap where loading every product is not. */
export function hasOpenProducts(db: AppDatabase, orderId: string): Promise<boolean> {
  return readByKey(db, orderHasOpenProducts, orderId);
}

const productHasOpenFiles = hasRowsIn<number>('hasOpenFiles', 'files', 'product_id', 'integer', openFileStatuses);

/** Whether any file of the product is still waiting or being fetched. */
export function hasOpenFiles(db: AppDatabase, productId: number): Promise<boolean> {
  return readByKey(db, productHasOpenFiles, productId);
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
