import { readFile } from 'node:fs/promises';
import type { OpenedDatabase } from '@onc-orders/jobs';
import { rawRows } from '@onc-orders/testkit';

const tables = ['orders', 'products', 'files', 'events', 'webhook_deliveries'];

/**
 * Whether `text` appears anywhere in the stored state: in any byte of the SQLite file (checkpointed, so the WAL's
 * pages are in it), or in any row of any table on PostgreSQL, where the files are the server's to keep.
 */
export async function storedStateContains(database: OpenedDatabase, text: string): Promise<boolean> {
  if (database.dialect === 'sqlite') {
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return (await readFile(database.sqlite.name)).includes(Buffer.from(text));
  }
  for (const table of tables) {
    const rows = await rawRows(database, `SELECT * FROM ${table}`);
    if (JSON.stringify(rows).includes(text)) return true;
  }
  return false;
}
