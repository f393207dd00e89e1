import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { AppDatabase } from './database.js';
import type { SqliteDatabase } from './open-database.js';
import * as schema from './schema.js';

/**
 * A connection that only reads the shared SQLite file, for a process or thread that shows orders beside the one that
 * opened it with `openDatabase` (which applied the migrations and set WAL, both kept by the file). It never takes the
 * write lock, so in WAL it never waits for the writers nor they for it.
 */
export function openReadOnlyDatabase(path: string): SqliteDatabase {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 10000');
  const db: AppDatabase = drizzle(sqlite, { schema });
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    ping: () => {
      sqlite.prepare('select 1').get();
      return Promise.resolve();
    },
    close: () => {
      sqlite.close();
    },
  };
}
