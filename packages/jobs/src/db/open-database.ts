import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { applyMigrations } from './apply-migrations.js';
import type { AppDatabase } from './database.js';
import * as schema from './schema.js';

export interface OpenedDatabase {
  db: AppDatabase;
  sqlite: Database.Database;
  close: () => void;
}

/**
 * Opens the SQLite file shared by the API and every worker: WAL so readers never block the writer, a busy timeout so
 * processes queue for the write lock instead of failing, and the migrations applied before anything else runs.
 */
export function openDatabase(path: string, options: { migrationsFolder?: string } = {}): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  applyMigrations(sqlite, options.migrationsFolder);
  const db = drizzle(sqlite, { schema });
  return { db, sqlite, close: () => sqlite.close() };
}
