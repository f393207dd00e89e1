import { createTestDatabase, type TestDatabase } from '@onc-orders/testkit';
import { inWriteTransaction, openPostgresDatabase, tablesOf, type PostgresDatabase } from '../../src/index.js';

export interface PostgresWithOrder {
  /** The test's own database, with a pool of its own for the test's statements (ending others' sessions, say). */
  server: TestDatabase;
  /** The core's handle on it, migrated. */
  database: PostgresDatabase;
  /** Closes the handle and drops the database. */
  close: () => Promise<void>;
}

/** A PostgreSQL database of the test's own, opened by the core with `poolMax` connections, holding order `o1`. */
export async function openPostgresWithOrder(options: {
  poolMax: number;
  status: 'queued' | 'running';
}): Promise<PostgresWithOrder> {
  const server = await createTestDatabase({ poolMax: 1 });
  const database = await openPostgresDatabase(server.url, { poolMax: options.poolMax });
  const { orders } = tablesOf(database.db);
  await inWriteTransaction(database.db, (tx) =>
    tx.insert(orders).values({ id: 'o1', status: options.status, spec: '{}', submittedSpec: '{}', productCount: 0 }),
  );
  return {
    server,
    database,
    close: async () => {
      await database.close();
      await server.drop();
    },
  };
}
