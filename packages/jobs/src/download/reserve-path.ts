import { and, eq, ne, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { tablesOf } from '../db/tables.js';
import { updateById } from '../db/update-by-id.js';
import { numberedName, safeFileName } from './safe-file-name.js';
import { inWriteTransaction } from '../db/write-transaction.js';

function pathTakenStatement(db: AppDatabase) {
  const { files } = tablesOf(db);
  return prepared(db, 'pathTaken', () =>
    db
      .select({ id: files.id })
      .from(files)
      .where(
        and(
          eq(files.orderId, sql.placeholder('orderId')),
          eq(files.relativePath, sql.placeholder('candidate')),
          ne(files.id, sql.placeholder('id')),
        ),
      ),
  );
}

/** Where the file goes when no other file of its order has the name first: its recorded path, or the safe name. */
export function intendedPath(
  file: { orderId: string; relativePath: string | null },
  remoteName: string | undefined,
  fallbackName: string,
  /** A folder inside the order's folder (UNTRUSTED as a name: made safe the same way). */
  folder?: string,
): string {
  return file.relativePath ?? `${folderOf(file.orderId, folder)}/${safeFileName(remoteName, fallbackName)}`;
}

function folderOf(orderId: string, folder: string | undefined): string {
  return folder === undefined ? orderId : `${orderId}/${safeFileName(folder, 'other')}`;
}

/**
 * The path the file goes to inside its order's folder: the one recorded for it, or the first free one for the name
 * the server sent (made safe), numbered when another file of the order has it. Only reads: `reservePath` records it.
 */
async function choosePath(
  db: AppDatabase,
  file: { id: number; orderId: string; relativePath: string | null },
  remoteName: string | undefined,
  fallbackName: string,
  folder?: string,
): Promise<string> {
  if (file.relativePath) return file.relativePath;
  const base = safeFileName(remoteName, fallbackName);
  const within = folderOf(file.orderId, folder);
  for (let n = 1; ; n += 1) {
    const candidate = `${within}/${n === 1 ? base : numberedName(base, n)}`;
    const [taken] = await pathTakenStatement(db).execute({ orderId: file.orderId, candidate, id: file.id });
    if (!taken) return candidate;
  }
}

/**
 * Chooses the file's path inside its order's folder and records it, with the verified size and sha256 and the
 * source's description of the copy fetched (its `meta`), before the rename: if the process dies right after the rename, the next attempt finds the file under the recorded path and
 * recognises it instead of fetching it again. Two files of one order that want the same name get distinct ones.
 */
export async function reservePath(
  db: AppDatabase,
  file: { id: number; orderId: string; relativePath: string | null },
  remoteName: string | undefined,
  fallbackName: string,
  verified: { size: number; sha256: string; meta: string },
  /** A folder inside the order's folder (UNTRUSTED as a name: made safe the same way). */
  folder?: string,
): Promise<string> {
  return inWriteTransaction(db, async (tx) => {
    const relativePath = await choosePath(tx, file, remoteName, fallbackName, folder);
    await updateById(tx, 'files', file.id, {
      relativePath,
      remoteName: remoteName ?? null,
      size: verified.size,
      sha256: verified.sha256,
      meta: verified.meta,
      updatedAt: Date.now(),
    });
    return relativePath;
  });
}
