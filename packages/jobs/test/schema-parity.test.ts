import { is, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pgSchema from '../src/db/pg-schema.js';
import * as sqliteSchema from '../src/db/schema.js';

/**
 * The SQLite schema and its PostgreSQL twin must describe the same rows: the core's code is written once against
 * their TypeScript types, and either store must accept what the other would. The type-level checks run under
 * `pnpm typecheck`; the runtime ones under vitest.
 */

// Row types, table by table: a column added to one schema only, or typed differently, breaks the typecheck.
expectTypeOf<InferSelectModel<typeof sqliteSchema.orders>>().toEqualTypeOf<InferSelectModel<typeof pgSchema.orders>>();
expectTypeOf<InferInsertModel<typeof sqliteSchema.orders>>().toEqualTypeOf<InferInsertModel<typeof pgSchema.orders>>();
expectTypeOf<InferSelectModel<typeof sqliteSchema.products>>().toEqualTypeOf<
  InferSelectModel<typeof pgSchema.products>
>();
expectTypeOf<InferInsertModel<typeof sqliteSchema.products>>().toEqualTypeOf<
  InferInsertModel<typeof pgSchema.products>
>();
expectTypeOf<InferSelectModel<typeof sqliteSchema.files>>().toEqualTypeOf<InferSelectModel<typeof pgSchema.files>>();
expectTypeOf<InferInsertModel<typeof sqliteSchema.files>>().toEqualTypeOf<InferInsertModel<typeof pgSchema.files>>();
expectTypeOf<InferSelectModel<typeof sqliteSchema.events>>().toEqualTypeOf<InferSelectModel<typeof pgSchema.events>>();
expectTypeOf<InferInsertModel<typeof sqliteSchema.events>>().toEqualTypeOf<InferInsertModel<typeof pgSchema.events>>();
expectTypeOf<InferSelectModel<typeof sqliteSchema.webhookDeliveries>>().toEqualTypeOf<
  InferSelectModel<typeof pgSchema.webhookDeliveries>
>();
expectTypeOf<InferInsertModel<typeof sqliteSchema.webhookDeliveries>>().toEqualTypeOf<
  InferInsertModel<typeof pgSchema.webhookDeliveries>
>();

/** A table as both dialects can state it: what a query, an insert or a constraint would notice. */
interface TableShape {
  name: string;
  columns: Array<{
    name: string;
    dataType: string;
    notNull: boolean;
    hasDefault: boolean;
    primaryKey: boolean;
    unique: boolean;
  }>;
  compositePrimaryKeys: string[][];
  indexes: Array<{ name: string; columns: string[]; unique: boolean }>;
  foreignKeys: Array<{ columns: string[]; foreignTable: string; foreignColumns: string[]; onDelete: string }>;
  uniqueConstraints: string[][];
}

function columnName(column: unknown): string {
  if (typeof column === 'object' && column !== null && 'name' in column && typeof column.name === 'string')
    return column.name;
  throw new Error('An index on an expression: extend this test to compare its SQL in both dialects');
}

function byName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

function sqliteShape(table: SQLiteTable): TableShape {
  const config = getSqliteTableConfig(table);
  return {
    name: config.name,
    columns: config.columns.map((column) => ({
      name: column.name,
      // A bare SQLiteColumn types its dataType as any.
      dataType: column.dataType as string,
      notNull: column.notNull,
      hasDefault: column.hasDefault,
      primaryKey: column.primary,
      unique: column.isUnique,
    })),
    compositePrimaryKeys: config.primaryKeys.map((key) => key.columns.map((column) => column.name)),
    indexes: byName(
      config.indexes.map((index) => ({
        name: index.config.name,
        columns: index.config.columns.map(columnName),
        unique: index.config.unique,
      })),
    ),
    foreignKeys: config.foreignKeys
      .map((key) => {
        const reference = key.reference();
        return {
          columns: reference.columns.map((column) => column.name),
          foreignTable: getSqliteTableConfig(reference.foreignTable).name,
          foreignColumns: reference.foreignColumns.map((column) => column.name),
          onDelete: key.onDelete ?? 'no action',
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    uniqueConstraints: config.uniqueConstraints.map((constraint) => constraint.columns.map((column) => column.name)),
  };
}

function pgShape(table: PgTable): TableShape {
  const config = getPgTableConfig(table);
  return {
    name: config.name,
    columns: config.columns.map((column) => ({
      name: column.name,
      dataType: column.dataType,
      notNull: column.notNull,
      hasDefault: column.hasDefault,
      primaryKey: column.primary,
      unique: column.isUnique,
    })),
    compositePrimaryKeys: config.primaryKeys.map((key) => key.columns.map((column) => column.name)),
    indexes: byName(
      config.indexes.map((index) => ({
        name: index.config.name ?? '(unnamed)',
        columns: index.config.columns.map(columnName),
        unique: index.config.unique,
      })),
    ),
    foreignKeys: config.foreignKeys
      .map((key) => {
        const reference = key.reference();
        return {
          columns: reference.columns.map((column) => column.name),
          foreignTable: getPgTableConfig(reference.foreignTable).name,
          foreignColumns: reference.foreignColumns.map((column) => column.name),
          onDelete: key.onDelete ?? 'no action',
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    uniqueConstraints: config.uniqueConstraints.map((constraint) => constraint.columns.map((column) => column.name)),
  };
}

function tablesOf<T>(module: Record<string, unknown>, isTable: (value: unknown) => value is T): Map<string, T> {
  return new Map(
    Object.entries(module)
      .filter((entry): entry is [string, T] => isTable(entry[1]))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const sqliteTables = tablesOf(sqliteSchema, (value): value is SQLiteTable => is(value, SQLiteTable));
const pgTables = tablesOf(pgSchema, (value): value is PgTable => is(value, PgTable));

describe('the PostgreSQL schema mirrors the SQLite schema', () => {
  it('exports the same tables under the same names', () => {
    expect(sqliteTables.size).toBeGreaterThan(0);
    expect([...pgTables.keys()]).toEqual([...sqliteTables.keys()]);
  });

  it.each([...sqliteTables.keys()])('%s: same columns, keys, defaults, indexes and foreign keys', (exportName) => {
    const sqliteTable = sqliteTables.get(exportName);
    const pgTable = pgTables.get(exportName);
    if (!sqliteTable || !pgTable) throw new Error(`${exportName} is missing from one of the schemas`);
    const expected = sqliteShape(sqliteTable);
    expect(expected.columns.length).toBeGreaterThan(0);
    expect(pgShape(pgTable)).toEqual(expected);
  });

  it('keeps every millisecond timestamp and byte count 64-bit in PostgreSQL', () => {
    // pg's `integer` is 32-bit where SQLite's is not: a file past 2 GiB or a date in milliseconds would not fit.
    const wide = /(_at|_until|^size|^bytes_downloaded|^rows)$/;
    const narrow = [...pgTables.values()].flatMap((table) =>
      getPgTableConfig(table)
        .columns.filter((column) => wide.test(column.name) && column.getSQLType() !== 'bigint')
        .map((column) => `${getPgTableConfig(table).name}.${column.name}`),
    );
    expect(narrow).toEqual([]);
  });
});
