import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type pg from 'pg';
import { applyMigrations } from './apply-migrations.js';
import type { AppDatabase } from './database.js';
import * as schema from './schema.js';
import { sqliteTransactionRunner } from './sqlite-transactions.js';
import { markTransactionHandle, registerTransactionRunner } from './write-transaction.js';

interface DatabaseHandle {
  /** Reads see what has committed; writes through it (`inWriteTransaction`) run in a transaction of their own. */
  db: AppDatabase;
  /** Answers once the database does: for health checks. */
  ping(): Promise<void>;
}

export interface SqliteDatabase extends DatabaseHandle {
  dialect: 'sqlite';
  /** The connection every write of this process goes through. */
  sqlite: Database.Database;
  close(): void;
}

export interface PostgresDatabase extends DatabaseHandle {
  dialect: 'postgres';
  /** The pool every statement of this process goes through, each transaction on one of its connections. */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** The state store, SQLite (one host) or PostgreSQL (many hosts): the core runs the same code on both. */
export type OpenedDatabase = SqliteDatabase | PostgresDatabase;

function connect(path: string, options: { readonly: boolean }): Database.Database {
  const connection = new Database(path, { readonly: options.readonly });
  connection.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
  }
  connection.pragma('foreign_keys = ON');
  return connection;
}

/**
 * Opens the SQLite file shared by the API and every worker: WAL so readers never block the writer, a busy timeout so
 * processes queue for the write lock instead of failing, and the migrations applied before anything else runs.
 *
 * Two connections: one that only reads, and one for the writes, which run one transaction at a time (see
 * sqlite-transactions.ts). Reads made while this process has a transaction open see only what has committed, as they
 * do on PostgreSQL, never a write that may still be rolled back.
 */
export function openDatabase(path: string, options: { migrationsFolder?: string } = {}): SqliteDatabase {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const writer = connect(path, { readonly: false });
  applyMigrations(writer, options.migrationsFolder);
  // An in-memory database exists only on its one connection.
  const reader = inMemory ? writer : connect(path, { readonly: true });
  const db = drizzle(reader, { schema });
  const tx = drizzle(writer, { schema });
  markTransactionHandle(tx);
  registerTransactionRunner(db, sqliteTransactionRunner(writer, tx));
  return {
    dialect: 'sqlite',
    db,
    sqlite: writer,
    ping: () => {
      writer.prepare('select 1').get();
      return Promise.resolve();
    },
    close: () => {
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}
