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
 * Returns the new row's id, or undefined when the order had the file already. One statement: sent twice, the second
 * finds the row made by the first.
 */
export async function insertListedFile(db: AppDatabase, file: ListedFileRow): Promise<number | undefined> {
  const [created] = await inWriteTransaction(db, (tx) => insertStatement(tx).execute(columnsOf(file)));
  return created?.id;
}

/** Rows per INSERT: well inside either server's limit on a statement's parameters (4 a row). */
const rowsPerStatement = 500;

/**
 * The same for a page of listed files, many rows to a statement: a listing page can name hundreds of files, and on
 * PostgreSQL a statement each is a round trip each. A ref named twice in one page is created once, as above.
 */
export async function insertListedFiles(db: AppDatabase, listed: readonly ListedFileRow[]): Promise<void> {
  if (listed.length === 0) return;
  await inWriteTransaction(db, async (tx) => {
    const { files } = tablesOf(tx);
    for (let start = 0; start < listed.length; start += rowsPerStatement) {
      const rows = listed
        .slice(start, start + rowsPerStatement)
        .map((file) => ({ ...columnsOf(file), status: 'pending' as const }));
      await tx.insert(files).values(rows).onConflictDoNothing();
    }
  });
}

function columnsOf(file: ListedFileRow) {
  return { orderId: file.orderId, productId: file.productId, ref: file.ref, meta: JSON.stringify(file.meta) };
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
      .onConflictDoNothing()
      .returning({ id: files.id }),
  );
}
