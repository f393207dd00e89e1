import { resolve } from 'node:path';
import { openDatabase, type OpenedDatabase } from './open-database.js';
import { openPostgresDatabase } from './open-postgres-database.js';
import { openReadOnlyDatabase } from './open-read-only-database.js';

/** Where the state lives: a SQLite file on this host (the default), or a PostgreSQL database every host shares. */
export type StateStoreLocation = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** DATABASE_URL, when set, names the PostgreSQL database; otherwise DATABASE_PATH names the SQLite file. */
export function stateStoreLocation(settings: {
  DATABASE_PATH: string;
  DATABASE_URL?: string | undefined;
}): StateStoreLocation {
  return settings.DATABASE_URL
    ? { dialect: 'postgres', url: settings.DATABASE_URL }
    : { dialect: 'sqlite', path: settings.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(settings.DATABASE_PATH) };
}

/** A process's connection to the state, migrated first. */
export async function openStateStore(
  location: StateStoreLocation,
  options: { poolMax?: number } = {},
): Promise<OpenedDatabase> {
  return location.dialect === 'postgres' ? openPostgresDatabase(location.url, options) : openDatabase(location.path);
}

/**
 * A connection for a process or thread that only shows orders, beside one that opened the store with
 * `openStateStore` (which migrated it): read-only on SQLite, a small pool that never migrates on PostgreSQL.
 */
export async function openStateStoreForReads(location: StateStoreLocation): Promise<OpenedDatabase> {
  return location.dialect === 'postgres'
    ? openPostgresDatabase(location.url, { poolMax: 2, migrate: false })
    : openReadOnlyDatabase(location.path);
}
