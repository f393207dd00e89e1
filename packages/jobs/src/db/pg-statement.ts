import type { AppDatabase } from './database.js';
import { statementName } from './prepared.js';

/** A statement's text and the name PostgreSQL prepares it under. */
export interface PgStatement {
  name: string;
  text: string;
}

interface Client {
  query(config: { name: string; text: string }, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A statement written for PostgreSQL alone, named once for its key. */
export function pgStatement(key: string, text: string): PgStatement {
  return { name: statementName(key), text };
}

/**
 * Runs a statement written for PostgreSQL alone, prepared on each connection once, through the handle's client: the
 * pool (with its NUL-safe text and its reads sent again after a connection loss) or a transaction's connection.
 */
export async function runPgStatement<R>(db: AppDatabase, statement: PgStatement, values: unknown[]): Promise<R[]> {
  const client = (db as unknown as { $client: Client }).$client;
  const { rows } = await client.query(statement, values);
  return rows as R[];
}
