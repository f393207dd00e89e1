import { createTestStateStore, makeTempDir } from '@onc-orders/testkit';
import { openStateStore, type OpenedDatabase } from '../../src/index.js';

export interface TestState {
  database: OpenedDatabase;
  /** Closes the database, drops it (PostgreSQL) and removes its folder. */
  close(): Promise<void>;
}

/** A state store of the dialect TEST_DATABASE names, in a temporary folder of its own, opened and migrated. */
export async function openTestState(label: string): Promise<TestState> {
  const dir = await makeTempDir(label);
  const store = await createTestStateStore(dir.path);
  const database = await openStateStore(store);
  return {
    database,
    close: async () => {
      await database.close();
      await store.drop();
      await dir.remove();
    },
  };
}
