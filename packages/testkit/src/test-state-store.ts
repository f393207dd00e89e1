import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from './postgres-for-tests.js';

/** Which database the suite's state lives in: SQLite unless TEST_DATABASE=postgres (`.ci/run` runs both). */
export type TestDialect = 'sqlite' | 'postgres';

export function testDialect(): TestDialect {
  const chosen = process.env['TEST_DATABASE'] ?? 'sqlite';
  if (chosen !== 'sqlite' && chosen !== 'postgres')
    throw new Error(`TEST_DATABASE: "${chosen}" is neither sqlite nor postgres`);
  return chosen;
}

/**
 * Where one test's state lives, in the shape the core's `openStateStore` takes: a SQLite file in the test's own
 * folder, or a PostgreSQL database of the test's own (see createTestDatabase), which `drop` removes.
 */
export type TestStateStore = ({ dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string }) & {
  /** The settings that point a process the test starts at it: DATABASE_PATH or DATABASE_URL. */
  environment: Record<string, string>;
  drop(): Promise<void>;
};

export async function createTestStateStore(folder: string, dialect = testDialect()): Promise<TestStateStore> {
  if (dialect === 'sqlite') {
    const path = join(folder, 'state.sqlite');
    return { dialect, path, environment: { DATABASE_PATH: path }, drop: () => Promise.resolve() };
  }
  const database = await createTestDatabase({ poolMax: 1 });
  // The core opens its own pools; this one would only hold a connection.
  return { dialect, url: database.url, environment: { DATABASE_URL: database.url }, drop: database.drop };
}

/** What `rawRows` needs of an opened state store: the core's OpenedDatabase fits. */
export type RawQueryable =
  | {
      dialect: 'sqlite';
      sqlite: { prepare(text: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown } };
    }
  | { dialect: 'postgres'; pool: pg.Pool };

// int8 (counts, millisecond stamps) as numbers, as SQLite gives them: every value the tests read fits in 2^53.
function parserFor(oid: number): (value: string) => unknown {
  if (oid === 20) return (value) => Number(value);
  return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
}
const int8AsNumber = { getTypeParser: parserFor };

/**
 * The rows of one SQL statement, for a test that looks at the stored state directly, on either dialect. Write `?`
 * for each parameter; on PostgreSQL they become `$1, $2, …`. Keep the SQL to what both dialects share.
 */
export async function rawRows<T = Record<string, unknown>>(
  database: RawQueryable,
  text: string,
  ...params: unknown[]
): Promise<T[]> {
  if (database.dialect === 'sqlite') return database.sqlite.prepare(text).all(...params) as T[];
  const result = await database.pool.query({ text: numbered(text), values: params, types: int8AsNumber });
  return result.rows as T[];
}

/** Runs one SQL statement that returns no rows (an UPDATE a test makes to set a scene), on either dialect. */
export async function rawRun(database: RawQueryable, text: string, ...params: unknown[]): Promise<void> {
  if (database.dialect === 'sqlite') database.sqlite.prepare(text).run(...params);
  else await database.pool.query(numbered(text), params);
}

function numbered(text: string): string {
  let position = 0;
  return text.replace(/\?/g, () => `$${(position += 1)}`);
}
