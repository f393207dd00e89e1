import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { applyPgMigrations } from './apply-pg-migrations.js';
import { batchReadsOn } from './batched-reads.js';
import type { AppDatabase } from './database.js';
import type { PostgresDatabase } from './open-database.js';
import * as pgSchema from './pg-schema.js';
import { poolWithStorableText } from './pg-text-parameters.js';
import { pgTransactionRunner } from './pg-transactions.js';
import { readsAgainAfterConnectionLoss } from './reads-again-after-connection-loss.js';
import { pgSingleStatementRunner, refusingSecondStatements } from './pg-single-statements.js';
import { registerSingleStatementRunner, registerTransactionRunner } from './write-transaction.js';

export interface PostgresOptions {
  /** Connections this process may hold at once: one per transaction in flight, plus the reads. */
  poolMax?: number;
  migrationsFolder?: string;
  /** Whether to apply the migrations (under the advisory lock) before anything runs; true unless told. */
  migrate?: boolean;
}

/**
 * Opens the PostgreSQL database that several hosts share, from a `postgres://` URL, and applies the migrations under
 * an advisory lock, so processes that start at once on several hosts do not race. The URL may hold a password: it is
 * handed to the driver only, never logged or echoed in an error.
 */
export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
  const poolMax = options.poolMax ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    application_name: 'onc-orders',
  });
  // An idle connection the server ends (a restart, a failover) is dropped from the pool; its error has no caller.
  pool.on('error', () => undefined);
  try {
    if (options.migrate !== false) await applyPgMigrations(pool, options.migrationsFolder);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const storing = poolWithStorableText(pool);
  const db = drizzle({
    client: {
      query: refusingSecondStatements(readsAgainAfterConnectionLoss(storing)),
      connect: storing.connect,
    } as unknown as pg.Pool,
    schema: pgSchema,
  }) as unknown as AppDatabase;
  registerTransactionRunner(db, pgTransactionRunner(pool, poolMax));
  registerSingleStatementRunner(db, pgSingleStatementRunner(db));
  batchReadsOn(db);
  return {
    dialect: 'postgres',
    db,
    pool,
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
