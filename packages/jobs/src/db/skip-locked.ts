import type { AppDatabase } from './database.js';
import { dialectOf } from './tables.js';

interface LockableQuery<Q> {
  for(strength: 'update', config: { skipLocked: true }): Q;
}

/**
 * Makes a claim's SELECT take the rows it finds for its transaction, passing over rows another transaction already
 * holds (`FOR UPDATE SKIP LOCKED`): on PostgreSQL, hosts that claim from the same rows at once each take different
 * ones instead of queueing behind each other for the same. SQLite has no row locks and needs none: its IMMEDIATE
 * transactions already run one at a time.
 */
export function skipLockedRows<Q>(db: AppDatabase, query: Q): Q {
  if (dialectOf(db) !== 'postgres') return query;
  // The query was built by a PostgreSQL handle; only its type is SQLite's (see tables.ts).
  return (query as unknown as LockableQuery<Q>).for('update', { skipLocked: true });
}
