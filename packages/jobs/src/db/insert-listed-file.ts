import { sql } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { files } from './schema.js';

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
export function insertListedFile(db: AppDatabase, file: ListedFileRow): void {
  prepared(db, 'insertListedFile', () =>
    db
      .insert(files)
      .values({
        orderId: sql.placeholder('orderId'),
        productId: sql.placeholder('productId'),
        ref: sql.placeholder('ref'),
        meta: sql.placeholder('meta'),
        status: 'pending',
      })
      .onConflictDoNothing()
      .prepare(),
  ).run({ orderId: file.orderId, productId: file.productId, ref: file.ref, meta: JSON.stringify(file.meta) });
}
