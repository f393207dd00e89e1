import { SQLiteTransaction } from 'drizzle-orm/sqlite-core';
import type { AppDatabase } from './database.js';

/**
 * Runs `work` holding the database's write lock: in a new IMMEDIATE transaction (so two processes cannot both read a
 * row and both act on what they read), or as part of the caller's transaction when there is one. A nested savepoint
 * would only add statements: the caller's transaction already makes the whole of it atomic.
 */
export function inWriteTransaction<T>(db: AppDatabase, work: (tx: AppDatabase) => T): T {
  return db instanceof SQLiteTransaction ? work(db) : db.transaction(work, { behavior: 'immediate' });
}
