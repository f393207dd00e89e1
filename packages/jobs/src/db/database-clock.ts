import { sql, type SQL } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { dialectOf } from './tables.js';

/**
 * Now, in whole milliseconds since the epoch, on the database's clock. Leases and every other expiry are stamped and
 * compared with it, never with the host's: the hosts of a fleet disagree about the time, the database is one.
 * Fixed per statement in both dialects (PostgreSQL's `now()` would be fixed for the whole transaction).
 */
export function databaseNowMs(db: AppDatabase): SQL<number> {
  return dialectOf(db) === 'postgres'
    ? sql<number>`(floor(extract(epoch from statement_timestamp()) * 1000))::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}
