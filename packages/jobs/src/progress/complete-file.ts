import { insertListedFile } from '../db/insert-listed-file.js';
import type { FilePatch } from '../db/update-by-id.js';
import type { WriteBatcher } from '../db/write-batcher.js';
import type { FileRow } from '../db/schema.js';
import type { ListedFile } from '../sources/source-port.js';
import { transitionFile } from '../state/transition.js';

/**
 * Records a file complete and, when its source says another file follows it (a list of unknown length, walked one
 * by one), creates that file as pending in the same transaction. Done apart, another worker settling the product in
 * between would see every file ended, call the product complete, and the next file would never be fetched. Without
 * a next file the completion is one statement, which sent twice completes the file once.
 */
export async function completeFile(
  writes: WriteBatcher,
  file: Pick<FileRow, 'id' | 'orderId' | 'productId'>,
  options: { reason: string; patch: FilePatch; next?: ListedFile<unknown> | undefined },
): Promise<void> {
  const { next } = options;
  const complete = { reason: options.reason, patch: options.patch, onlyFrom: ['pending', 'downloading'] as const };
  if (!next) {
    await writes.writeOne((tx) => transitionFile(tx, file.id, 'complete', complete));
    return;
  }
  await writes.write(async (tx) => {
    await transitionFile(tx, file.id, 'complete', complete);
    await insertListedFile(tx, { orderId: file.orderId, productId: file.productId, ...next });
  });
}
