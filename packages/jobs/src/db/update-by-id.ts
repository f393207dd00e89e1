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

/**
 * The columns a patch sets (those given a value), sorted so that one set of columns always names one statement, with
 * the values by column and a `SET` of a placeholder for each. Placeholders of the statement's own start with `__`.
 */
export function patchColumns(values: object): {
  key: string;
  values: Record<string, unknown>;
  set: () => Record<string, SQL>;
} {
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  const columns = entries.map(([column]) => column).sort();
  return {
    key: columns.join(','),
    values: Object.fromEntries(entries),
    set: () => Object.fromEntries(columns.map((column) => [column, sql`${sql.placeholder(column)}`])),
  };
}

/** The same for the transition functions, which write the status column with the rest. */
export async function writeColumns(db: AppDatabase, table: keyof PatchOf, id: number, values: object): Promise<void> {
  const patch = patchColumns(values);
  const statement = prepared(db, `update:${table}:${patch.key}`, () => {
    const target = tablesOf(db)[table];
    return db
      .update(target)
      .set(patch.set())
      .where(eq(target.id, sql.placeholder('__id')));
  });
  await statement.execute({ ...patch.values, __id: id });
}
