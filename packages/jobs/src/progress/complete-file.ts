import type { AppDatabase } from '../db/database.js';
import { fileAt, runOfProduct } from '../db/repository.js';
import { files, type FileRow } from '../db/schema.js';
import { transitionFile } from '../state/transition.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import { insertPendingFile } from '../db/insert-pending-file.js';

type FilePatch = Partial<Omit<typeof files.$inferInsert, 'id' | 'status'>>;

/**
 * Records a file complete and, when ONC did not tell its run's file count, creates the next index as pending in the
 * same transaction. Done apart, another worker settling the product in between would see every file ended, call the
 * product complete, and the next file would never be fetched.
 */
export function completeFile(db: AppDatabase, file: FileRow, options: { reason: string; patch: FilePatch }): void {
  inWriteTransaction(db, (tx) => {
    transitionFile(tx, file.id, 'complete', { ...options, onlyFrom: ['pending', 'downloading'] });
    if (file.fileIndex === 'meta' || runOfProduct(tx, file.productId, file.runOrdinal)?.fileCount) return;
    insertPendingFile(tx, {
      orderId: file.orderId,
      productId: file.productId,
      runOrdinal: file.runOrdinal,
      fileIndex: String(Number(file.fileIndex) + 1),
    });
  });
}

/** The file after `file` in its run, when the run's list is being walked index by index. */
export function nextFileOf(db: AppDatabase, file: FileRow): FileRow | undefined {
  if (file.fileIndex === 'meta') return undefined;
  return fileAt(db, file.productId, file.runOrdinal, String(Number(file.fileIndex) + 1));
}
