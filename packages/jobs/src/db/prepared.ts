import type { AppDatabase } from './database.js';

const statements = new WeakMap<object, Map<string, unknown>>();
/** Short names for PostgreSQL's prepared statements, one per key: a key may be longer than the 63 bytes it keeps. */
const names = new Map<string, string>();

/**
 * The connection behind a database handle. A transaction's handle is a new object each time on SQLite, but it runs
 * on the same drizzle session (one better-sqlite3 connection), so a statement prepared once serves inside
 * transactions too. On PostgreSQL each pooled connection has a handle, and so its statements, of its own.
 */
function connectionOf(db: AppDatabase): object {
  return (db as unknown as { session?: object }).session ?? db;
}

/** The name PostgreSQL keeps a prepared statement under, one per SQL text's key. */
export function statementName(key: string): string {
  let name = names.get(key);
  if (name === undefined) {
    name = `onc_${names.size}`;
    names.set(key, name);
  }
  return name;
}

/** A query drizzle can prepare: SQLite's `prepare()` takes no name, PostgreSQL's takes one. */
interface Preparable<P> {
  prepare(): P;
}

/**
 * A statement prepared once per connection and reused: the hot reads and writes run for every file of every order,
 * and building their SQL again each time cost more than running them. On PostgreSQL the statement is named, so each
 * connection parses and plans it once, not on every call. `key` names one SQL text: two texts never share a key.
 */
export function prepared<P>(db: AppDatabase, key: string, build: () => Preparable<P>): P {
  const connection = connectionOf(db);
  let perConnection = statements.get(connection);
  if (!perConnection) {
    perConnection = new Map();
    statements.set(connection, perConnection);
  }
  let statement = perConnection.get(key) as P | undefined;
  if (statement === undefined) {
    statement = (build() as unknown as { prepare(name: string): P }).prepare(statementName(key));
    perConnection.set(key, statement);
  }
  return statement;
}
