import type { AppDatabase } from './database.js';

const statements = new WeakMap<object, Map<string, unknown>>();

/**
 * The connection behind a database handle. A transaction's handle is a new object each time, but it runs on the same
 * drizzle session (one better-sqlite3 connection), so a statement prepared once serves inside transactions too.
 */
function connectionOf(db: AppDatabase): object {
  return (db as unknown as { session?: object }).session ?? db;
}

/**
 * A statement prepared once per connection and reused: the hot reads and writes run for every file of every order,
 * and building and preparing their SQL again each time cost more than running them.
 */
export function prepared<T>(db: AppDatabase, key: string, build: () => T): T {
  const connection = connectionOf(db);
  let perConnection = statements.get(connection);
  if (!perConnection) {
    perConnection = new Map();
    statements.set(connection, perConnection);
  }
  let statement = perConnection.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    perConnection.set(key, statement);
  }
  return statement;
}
