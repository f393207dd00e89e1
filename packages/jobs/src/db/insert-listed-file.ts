import { sql } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { tablesOf } from './tables.js';
import { inWriteTransaction } from './write-transaction.js';

export interface ListedFileRow {
  orderId: string;
  productId: number;
  /** The source's name for the file, unique within the order. */
  ref: string;
  meta: unknown;
}

/**
 * Creates a file row in `pending`, the state every file starts in, unless the order has one with the same ref already
 * (a re-ordered product keeps its files; a file two products list is fetched once). Every file passes through here.
 */
export async function insertListedFile(db: AppDatabase, file: ListedFileRow): Promise<void> {
  const values = { orderId: file.orderId, productId: file.productId, ref: file.ref, meta: JSON.stringify(file.meta) };
  await inWriteTransaction(db, (tx) => insertStatement(tx).execute(values));
}

function insertStatement(db: AppDatabase) {
  const { files } = tablesOf(db);
  return prepared(db, 'insertListedFile', () =>
    db
      .insert(files)
      .values({
        orderId: sql.placeholder('orderId'),
        productId: sql.placeholder('productId'),
        ref: sql.placeholder('ref'),
        meta: sql.placeholder('meta'),
        status: 'pending',
      })
      .onConflictDoNothing(),
  );
}
