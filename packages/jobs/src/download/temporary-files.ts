import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileRow } from '../db/schema.js';

/**
 * The temporary file of a download: hidden (leading dot), inside the order's folder, named by our file id and the ONC
 * run it comes from — a partial copy is only ever resumed from the same run, never stitched to another run's bytes.
 */
export function temporaryPathOf(downloadDir: string, file: Pick<FileRow, 'id' | 'orderId'>, dpRunId: number): string {
  return join(downloadDir, file.orderId, `.${file.id}-${dpRunId}.part`);
}

/** Deletes the temporary files of the given files of an order (any run), e.g. after a cancel or a re-order. */
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
