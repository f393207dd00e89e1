import { count } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { tablesOf } from './tables.js';

export type CountedTable = 'orders' | 'products' | 'files';

/** The table's rows by status (a GROUP BY over its status index), for the state metrics. */
export async function countByStatus(db: AppDatabase, table: CountedTable): Promise<Record<string, number>> {
  const rows = await prepared(db, `countByStatus:${table}`, () => {
    const counted = tablesOf(db)[table];
    return db.select({ status: counted.status, rows: count() }).from(counted).groupBy(counted.status);
  }).execute();
  return Object.fromEntries(rows.map((row) => [row.status, row.rows]));
}
