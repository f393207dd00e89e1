import { eq, sql, type SQL } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { inWriteTransaction } from './write-transaction.js';
import { tablesOf, type Tables } from './tables.js';

/** Columns other than the id and the status (which only the transition functions write). */
export type ProductPatch = Partial<Omit<Tables['products']['$inferInsert'], 'id' | 'status'>>;
export type FilePatch = Partial<Omit<Tables['files']['$inferInsert'], 'id' | 'status'>>;
export type OrderPatch = Partial<Omit<Tables['orders']['$inferInsert'], 'id' | 'status'>>;

interface PatchOf {
  products: ProductPatch;
  files: FilePatch;
}

/**
 * `UPDATE <table> SET <the given columns> WHERE id = ?`, prepared once for each set of columns. The hot writes (a
 * file's transitions, a product's) change the same few column sets over and over; building their SQL every time cost
 * more than running it. Values must be plain (no SQL expressions): these tables hold only numbers and text. The
 * status column is not among them: it changes only through a transition.
 */
export async function updateById<T extends keyof PatchOf>(
  db: AppDatabase,
  table: T,
  id: number,
  values: PatchOf[T],
): Promise<void> {
  await inWriteTransaction(db, (tx) => writeColumns(tx, table, id, values));
}

/** The same for the transition functions, which write the status column with the rest. */
export async function writeColumns(db: AppDatabase, table: keyof PatchOf, id: number, values: object): Promise<void> {
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  const columns = entries.map(([column]) => column).sort();
  const statement = prepared(db, `update:${table}:${columns.join(',')}`, () => {
    const target = tablesOf(db)[table];
    const set: Record<string, SQL> = {};
    for (const column of columns) set[column] = sql`${sql.placeholder(column)}`;
    return db
      .update(target)
      .set(set)
      .where(eq(target.id, sql.placeholder('__id')));
  });
  await statement.execute({ ...Object.fromEntries(entries), __id: id });
}
