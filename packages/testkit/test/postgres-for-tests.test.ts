import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresServerUrlForTests, testDatabasePrefix, type TestDatabase } from '../src/index.js';

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: await postgresServerUrlForTests() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return found.rowCount === 1;
  } finally {
    await admin.end();
  }
}

describe('createTestDatabase', () => {
  const made: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((db) => db.drop()));
  });

  it('makes an empty database of its own, reachable by its pool and by its url', async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    if (!first || !second) throw new Error('two databases were asked for');
    made.push(first, second);
    expect(first.name).toMatch(new RegExp(`^${testDatabasePrefix}[0-9a-f]{12}$`));
    expect(second.name).not.toBe(first.name);

    const viaPool = await first.pool.query<{ db: string }>('SELECT current_database() AS db');
    expect(viaPool.rows[0]?.db).toBe(first.name);
    const client = new pg.Client({ connectionString: second.url });
    await client.connect();
    try {
      const viaUrl = await client.query<{ db: string; tables: string }>(
        `SELECT current_database() AS db,
                (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public') AS tables`,
      );
      expect(viaUrl.rows[0]).toEqual({ db: second.name, tables: '0' });
    } finally {
      await client.end();
    }
  });

  it('drops the database even while another connection is open on it, and a second drop is harmless', async () => {
    const db = await createTestDatabase();
    made.push(db);
    const lingering = new pg.Client({ connectionString: db.url });
    lingering.on('error', () => undefined); // the drop ends its session: that is the point
    await lingering.connect();

    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
    await expect(db.drop()).resolves.toBeUndefined();
    await lingering.end().catch(() => undefined);
  });
});
