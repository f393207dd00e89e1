import type { AppDatabase } from '../db/database.js';
import { insertListedFile } from '../db/insert-listed-file.js';
import type { FilePatch } from '../db/update-by-id.js';
import { inWriteTransaction } from '../db/write-transaction.js';
import type { FileRow } from '../db/schema.js';
import type { ListedFile } from '../sources/source-port.js';
import { transitionFile } from '../state/transition.js';

/**
 * Records a file complete and, when its source says another file follows it (a list of unknown length, walked one
 * by one), creates that file as pending in the same transaction. Done apart, another worker settling the product in
 * between would see every file ended, call the product complete, and the next file would never be fetched.
 */
export async function completeFile(
  db: AppDatabase,
  file: Pick<FileRow, 'id' | 'orderId' | 'productId'>,
  options: { reason: string; patch: FilePatch; next?: ListedFile<unknown> | undefined },
): Promise<void> {
  await inWriteTransaction(db, async (tx) => {
    await transitionFile(tx, file.id, 'complete', { ...options, onlyFrom: ['pending', 'downloading'] });
    if (options.next) await insertListedFile(tx, { orderId: file.orderId, productId: file.productId, ...options.next });
  });
}
