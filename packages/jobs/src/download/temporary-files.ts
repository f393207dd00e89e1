import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileRow } from '../db/schema.js';

/**
 * The temporary file of a download: hidden (leading dot), beside its final name inside the order's folder (so the
 * rename is atomic), named by our file id and the copy it comes from (the source's `copyOf`, e.g. ONC's run) — a
 * partial copy is only ever resumed from the same copy, never stitched to another's bytes.
 */
export function temporaryPathOf(downloadDir: string, file: Pick<FileRow, 'id' | 'orderId'>, copy: string): string {
  // The copy's name is ours, but kept to a plain word all the same: it becomes part of a path.
  const plain = copy.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return join(downloadDir, file.orderId, `.${file.id}-${plain}.part`);
}

/** Deletes the temporary files of the given files of an order (any copy), e.g. after a cancel or a re-order. */
export async function removeTemporaryFiles(
  downloadDir: string,
  orderId: string,
  fileIds: Iterable<number>,
): Promise<number> {
  const wanted = new Set([...fileIds].map((id) => `.${id}-`));
  if (wanted.size === 0) return 0;
  const names = await readdir(join(downloadDir, orderId)).catch(() => [] as string[]);
  const doomed = names.filter(
    (name) => name.endsWith('.part') && [...wanted].some((prefix) => name.startsWith(prefix)),
  );
  await Promise.all(doomed.map((name) => rm(join(downloadDir, orderId, name), { force: true })));
  return doomed.length;
}
