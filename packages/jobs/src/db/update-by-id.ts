import { eq, sql, type SQL } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { files, products, runs } from './schema.js';

const tables = { products, files, runs };

export type RowTable = keyof typeof tables;

/**
 * `UPDATE <table> SET <the given columns> WHERE id = ?`, prepared once for each set of columns. The hot writes (a
 * file's transitions, a product's) change the same few column sets over and over; building their SQL every time cost
 * more than running it. Values must be plain (no SQL expressions): these tables hold only numbers and text.
 */
export function updateById(db: AppDatabase, table: RowTable, id: number, values: object): void {
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  const columns = entries.map(([column]) => column).sort();
  const statement = prepared(db, `update:${table}:${columns.join(',')}`, () => {
    const target = tables[table];
    const set: Record<string, SQL> = {};
    for (const column of columns) set[column] = sql`${sql.placeholder(column)}`;
    return db
      .update(target)
      .set(set)
      .where(eq(target.id, sql.placeholder('__id')))
      .prepare();
  });
  statement.run({ ...Object.fromEntries(entries), __id: id });
}
