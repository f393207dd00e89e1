import type { AppDatabase } from './database.js';
import * as pgTables from './pg-schema.js';
import type * as sqliteTables from './schema.js';

/**
 * The tables the core's queries name, as the handle they run on was opened with: `schema.ts`'s on SQLite,
 * `pg-schema.ts`'s on PostgreSQL. A table object carries its dialect's column codecs (PostgreSQL's int8 comes back as
 * text, its `bigint` columns turn it into a number), so a query must name its own database's tables. The two schemas
 * have the same names, columns and row types (test/schema-parity.test.ts), so the core is typed against one of them.
 */
export type Tables = typeof sqliteTables;

export type Dialect = 'sqlite' | 'postgres';

export function tablesOf(db: AppDatabase): Tables {
  // drizzle keeps the schema a handle was opened with, and hands it to every transaction's handle as well.
  return db._.fullSchema;
}

export function dialectOf(db: AppDatabase): Dialect {
  return (db._.fullSchema as unknown) === pgTables ? 'postgres' : 'sqlite';
}
