import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, makeTempDir, type TestDatabase } from '@onc-orders/testkit';
import { eq, is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPgMigrations, defaultPgMigrationsFolder, pgMigrationLockKey } from '../src/db/apply-pg-migrations.js';
import * as pgSchema from '../src/db/pg-schema.js';

const pgTables = (Object.values(pgSchema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));

async function journalTags(folder: string): Promise<string[]> {
  const journal = JSON.parse(await readFile(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ idx: number; tag: string }>;
  };
  return journal.entries.sort((a, b) => a.idx - b.idx).map((entry) => entry.tag);
}

/** The repository's PostgreSQL migrations plus extra hand-written ones, in a folder of the test's own. */
async function migrationsWith(dir: string, extra: Array<{ tag: string; sql: string }>): Promise<string> {
  const folder = join(dir, 'migrations');
  await mkdir(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(await readFile(join(defaultPgMigrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ idx: number; tag: string }>;
  };
  for (const entry of journal.entries)
    await copyFile(join(defaultPgMigrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  const entries = [...journal.entries];
  for (const migration of extra) {
    await writeFile(join(folder, `${migration.tag}.sql`), migration.sql);
    entries.push({ idx: entries.length, tag: migration.tag });
  }
  await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return folder;
}

async function appliedTags(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ tag: string }>('SELECT tag FROM schema_migrations ORDER BY tag');
  return result.rows.map((row) => row.tag);
}

async function tablesIn(pool: pg.Pool, schema: string): Promise<string[]> {
  const result = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return result.rows.map((row) => row.name);
}

describe('applyPgMigrations', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    return db;
  }

  function poolOn(db: TestDatabase, config: pg.PoolConfig = {}): pg.Pool {
    const pool = new pg.Pool({ connectionString: db.url, ...config });
    cleanups.push(() => pool.end());
    return pool;
  }

  it('creates every table, column and index of pg-schema.ts, and a second run applies nothing', async () => {
    const db = await database();
    const tags = await journalTags(defaultPgMigrationsFolder);
    expect(tags.length).toBeGreaterThan(0);

    expect(await applyPgMigrations(db.pool)).toEqual(tags);
    expect(await applyPgMigrations(db.pool)).toEqual([]);
    expect(await appliedTags(db.pool)).toEqual([...tags].sort());

    expect(await tablesIn(db.pool, 'public')).toEqual(
      [...pgTables.map((table) => getTableConfig(table).name), 'schema_migrations'].sort(),
    );
    for (const table of pgTables) {
      const config = getTableConfig(table);
      const columns = await db.pool.query<{ name: string; type: string; notNull: boolean; hasDefault: boolean }>(
        `SELECT column_name AS name, data_type AS type, is_nullable = 'NO' AS "notNull",
                (column_default IS NOT NULL OR is_identity = 'YES') AS "hasDefault"
           FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1
          ORDER BY ordinal_position`,
        [config.name],
      );
      expect(columns.rows, config.name).toEqual(
        config.columns.map((column) => ({
          name: column.name,
          type: column.getSQLType(),
          notNull: column.notNull,
          hasDefault: column.hasDefault,
        })),
      );

      const indexes = await db.pool.query<{ name: string; columns: string[]; unique: boolean }>(
        `SELECT i.relname AS name, array_agg(a.attname::text ORDER BY k.ord) AS columns, ix.indisunique AS unique
           FROM pg_index ix
           JOIN pg_class i ON i.oid = ix.indexrelid
           JOIN pg_class t ON t.oid = ix.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE n.nspname = 'public' AND t.relname = $1 AND NOT ix.indisprimary
          GROUP BY i.relname, ix.indisunique
          ORDER BY i.relname`,
        [config.name],
      );
      expect(indexes.rows, config.name).toEqual(
        config.indexes
          .map((index) => ({
            name: index.config.name,
            columns: index.config.columns.map((column) => ('name' in column ? column.name : '(expression)')),
            unique: index.config.unique,
          }))
          .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
      );
    }
  });

  it("gives rows the database clock's milliseconds as numbers, and cascades deletes", async () => {
    const db = await database();
    await applyPgMigrations(db.pool);
    const orm = drizzle(db.pool, { schema: pgSchema });
    const before = Date.now();
    await orm
      .insert(pgSchema.orders)
      .values({ id: 'o1', status: 'running', spec: '{}', submittedSpec: '{}', productCount: 1 });
    const [product] = await orm
      .insert(pgSchema.products)
      .values({ orderId: 'o1', ordinal: 0, params: '{}', status: 'pending' })
      .returning();
    await orm.insert(pgSchema.files).values({
      orderId: 'o1',
      productId: product?.id ?? -1,
      ref: 'f1',
      status: 'pending',
      size: 5 * 2 ** 30, // past pg's 32-bit integer
    });

    const [order] = await orm.select().from(pgSchema.orders).where(eq(pgSchema.orders.id, 'o1'));
    expect(typeof order?.createdAt).toBe('number');
    // The database's clock, not this process's: allow for the two differing a little.
    expect(order?.createdAt).toBeGreaterThan(before - 5_000);
    expect(order?.createdAt).toBeLessThan(Date.now() + 5_000);
    expect(order?.generation).toBe(0);
    const [file] = await orm.select().from(pgSchema.files);
    expect(file?.size).toBe(5 * 2 ** 30);
    expect(file?.bytesDownloaded).toBe(0);

    await orm.delete(pgSchema.orders).where(eq(pgSchema.orders.id, 'o1'));
    expect(await orm.select().from(pgSchema.files)).toEqual([]);
    expect(await orm.select().from(pgSchema.products)).toEqual([]);
  });

  it('migrates the schema the connections search first, foreign keys included', async () => {
    const db = await database();
    await db.pool.query('CREATE SCHEMA tenant_a');
    const pool = poolOn(db, { options: '-c search_path=tenant_a' });

    expect(await applyPgMigrations(pool)).toEqual(await journalTags(defaultPgMigrationsFolder));
    expect(await tablesIn(db.pool, 'public')).toEqual([]);
    expect(await tablesIn(db.pool, 'tenant_a')).toEqual(
      [...pgTables.map((table) => getTableConfig(table).name), 'schema_migrations'].sort(),
    );
    const references = await db.pool.query<{ schema: string }>(
      `SELECT DISTINCT ccu.table_schema AS schema
         FROM information_schema.table_constraints tc
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
        WHERE tc.constraint_type = 'FOREIGN KEY'`,
    );
    expect(references.rows).toEqual([{ schema: 'tenant_a' }]);
  });

  it('applies each migration exactly once when five pools migrate at the same moment', async () => {
    const db = await database();
    const temp = await makeTempDir('pg-migrations');
    cleanups.push(temp.remove);
    // A slow second migration widens the window in which unlocked runs would both see it pending.
    const folder = await migrationsWith(temp.path, [
      { tag: '0100_slow', sql: 'SELECT pg_sleep(0.3);\n--> statement-breakpoint\nCREATE TABLE probe (id integer);' },
    ]);
    const tags = await journalTags(folder);
    const pools = Array.from({ length: 5 }, () => poolOn(db, { max: 1 }));

    const results = await Promise.all(pools.map((pool) => applyPgMigrations(pool, folder)));

    expect(results.flat().sort()).toEqual([...tags].sort());
    expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
    expect(await appliedTags(db.pool)).toEqual([...tags].sort());
    expect(await Promise.all(pools.map((pool) => applyPgMigrations(pool, folder)))).toEqual([[], [], [], [], []]);
  });

  it('rolls a failing migration back, keeps those before it, and lets the lock go', async () => {
    const db = await database();
    const temp = await makeTempDir('pg-migrations');
    cleanups.push(temp.remove);
    const broken = 'CREATE TABLE probe (id integer);\n--> statement-breakpoint\nSELECT * FROM no_such_table;';
    const folder = await migrationsWith(temp.path, [{ tag: '0100_broken', sql: broken }]);
    const before = await journalTags(defaultPgMigrationsFolder);

    await expect(applyPgMigrations(db.pool, folder)).rejects.toThrow(/0100_broken failed/);
    expect(await appliedTags(db.pool)).toEqual([...before].sort());
    expect(await tablesIn(db.pool, 'public')).not.toContain('probe');
    const other = await db.pool.connect();
    try {
      const lock = await other.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        pgMigrationLockKey,
      ]);
      expect(lock.rows[0]?.locked).toBe(true);
      await other.query('SELECT pg_advisory_unlock($1::bigint)', [pgMigrationLockKey]);
    } finally {
      other.release();
    }

    await writeFile(join(folder, '0100_broken.sql'), 'CREATE TABLE probe (id integer);');
    expect(await applyPgMigrations(db.pool, folder)).toEqual(['0100_broken']);
    expect(await tablesIn(db.pool, 'public')).toContain('probe');
  });
});
