import { sql } from 'drizzle-orm';
import type { AppDatabase } from './database.js';
import { prepared } from './prepared.js';
import { files } from './schema.js';

export interface PendingFileKey {
  orderId: string;
  productId: number;
  runOrdinal: number;
  /** `meta` or a 1-based index. */
  fileIndex: string;
}

/**
 * Creates a file row in `pending`, the state every file starts in, unless one with the same run position and index
 * exists already (a re-ordered product keeps its files). Every file of every product passes through here once.
 */
export function insertPendingFile(db: AppDatabase, key: PendingFileKey): void {
  prepared(db, 'insertPendingFile', () =>
    db
      .insert(files)
      .values({
        orderId: sql.placeholder('orderId'),
        productId: sql.placeholder('productId'),
        runOrdinal: sql.placeholder('runOrdinal'),
        fileIndex: sql.placeholder('fileIndex'),
        status: 'pending',
      })
      .onConflictDoNothing()
      .prepare(),
  ).run({ ...key });
}
