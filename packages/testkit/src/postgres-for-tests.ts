import { randomBytes } from 'node:crypto';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';

/** Where PostgreSQL answers on this project's machines and in CI: trust auth, superuser `postgres`. */
const localServerUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every database a test makes is named so, which tells a leftover from a crashed run at a glance. */
export const testDatabasePrefix = 'onc_test_';

/** A database of the test's own, on the PostgreSQL the tests use. */
export interface TestDatabase {
  /** `onc_test_<random>`. */
  name: string;
  /** Its connection string, for the code under test (e.g. as DATABASE_URL) or a process the test starts. */
  url: string;
  /** A pool on it for the test's own queries and for code that takes a pool; `drop` ends it. */
  pool: pg.Pool;
  /**
   * Ends `pool`, then drops the database even while other connections (other pools, killed child processes) are
   * still open on it. Safe to call twice; call it in `afterAll`/`afterEach` so no database outlives its test.
   */
  drop: () => Promise<void>;
}

let server: Promise<{ url: string; container?: StartedPostgreSqlContainer }> | undefined;

/**
 * The PostgreSQL server the tests talk to, as a superuser connection string to its `postgres` database:
 * - `TEST_POSTGRES_URL` when it is set, as is (no fallback: a wrong setting should fail loudly);
 * - otherwise the server on 127.0.0.1:5432 (user `postgres`, trust auth), when it answers;
 * - otherwise a throwaway `postgres:15-alpine` from testcontainers, which needs a Docker engine.
 * Tests never work in this database itself: each one makes its own with `createTestDatabase`.
 */
export async function postgresServerUrlForTests(): Promise<string> {
  server ??= findServer();
  return (await server).url;
}

/**
 * Creates an empty database of the test's own (from `template0`, which nobody can be connected to, so parallel test
 * files never collide on the template), with a pool on it. Migrations are the caller's: the core's
 * `applyPgMigrations(db.pool)` sets up its tables.
 *
 * For a schema of its own rather than a database, a test can `CREATE SCHEMA` in this database and open
 * `new pg.Pool({ connectionString: db.url, options: '-c search_path=<schema>' })`.
 */
export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const serverUrl = await postgresServerUrlForTests();
  const name = `${testDatabasePrefix}${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE template0`));
  const url = databaseUrl(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: options.poolMax ?? 5 });
  // pg drops an idle connection that the server ends (a test stopping backends, another test's drop) from the pool;
  // the 'error' it emits has nobody to go to, and unheard it would end the test process.
  pool.on('error', () => undefined);
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await pool.end();
      await withAdminClient(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    })());
  return { name, url, pool, drop };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(serverUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function findServer(): Promise<{ url: string; container?: StartedPostgreSqlContainer }> {
  const fromEnv = process.env['TEST_POSTGRES_URL'];
  if (fromEnv) return { url: fromEnv };
  if (await answers(localServerUrl)) return { url: localServerUrl };
  try {
    const container = await new PostgreSqlContainer('postgres:15-alpine').start();
    return { url: databaseUrl(container.getConnectionUri(), 'postgres'), container };
  } catch (error) {
    throw new Error(
      'No PostgreSQL for tests: TEST_POSTGRES_URL is unset, nothing answers on 127.0.0.1:5432, and testcontainers ' +
        'could not start one (is a Docker engine running?). Start PostgreSQL 15 on 127.0.0.1:5432 with trust auth ' +
        'for user postgres (Debian: `apt-get install postgresql && pg_ctlcluster 15 main start`; or ' +
        '`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15-alpine`), ' +
        'or set TEST_POSTGRES_URL to a superuser connection string.',
      { cause: error },
    );
  }
}

/**
 * Whether a server answers at `url`. Only "nobody there" counts as no: a server that answers but refuses the
 * connection (authentication, a missing role) is a setup to fix, not a reason to start a container instead.
 */
async function answers(url: string): Promise<boolean> {
  try {
    await withAdminClient(url, (client) => client.query('SELECT 1'));
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && unreachable.has(code)) return false;
    if (error instanceof Error && /timeout/i.test(error.message)) return false;
    throw new Error(`PostgreSQL on 127.0.0.1:5432 answered but refused the tests' connection as user postgres`, {
      cause: error,
    });
  }
}

const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ETIMEDOUT']);
