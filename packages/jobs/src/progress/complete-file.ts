import { insertListedFile } from '../db/insert-listed-file.js';
import type { FilePatch } from '../db/update-by-id.js';
import type { WriteBatcher } from '../db/write-batcher.js';
import type { FileRow } from '../db/schema.js';
import type { ListedFile } from '../sources/source-port.js';
import { transitionFile } from '../state/transition.js';

/**
 * Records a file complete and, when its source says another file follows it (a list of unknown length, walked one
 * by one), first creates that file as pending. In the other order, another worker settling the product in between
 * would see every file ended, call the product complete, and the next file would never be fetched; in this one the
 * product always has a file open, and a crash between the two leaves this file to its next attempt, which finds the
 * next one made. Each is one statement, which sent twice does what it does once. Returns the id of the next file when
 * this call created it.
 */
export async function completeFile(
  writes: WriteBatcher,
  file: Pick<FileRow, 'id' | 'orderId' | 'productId'>,
  options: { reason: string; patch: FilePatch; next?: ListedFile<unknown> | undefined },
): Promise<number | undefined> {
  const { next } = options;
  const created = next
    ? await writes.writeOne((tx) => insertListedFile(tx, { orderId: file.orderId, productId: file.productId, ...next }))
    : undefined;
  const complete = { reason: options.reason, patch: options.patch, onlyFrom: ['pending', 'downloading'] as const };
  await writes.writeOne((tx) => transitionFile(tx, file.id, 'complete', complete));
  return created;
}
