import type { AppDatabase } from './database.js';

const statements = new WeakMap<object, Map<string, unknown>>();

/**
 * A statement prepared once per database handle and reused: the hot reads run for every file of every order, and
 * building and preparing their SQL again each time cost more than running them. (A transaction's handle is a new
 * object, so inside one the statement is simply prepared again.)
 */
export function prepared<T>(db: AppDatabase, key: string, build: () => T): T {
  let perHandle = statements.get(db);
  if (!perHandle) {
    perHandle = new Map();
    statements.set(db, perHandle);
  }
  let statement = perHandle.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    perHandle.set(key, statement);
  }
  return statement;
}
