import { and, eq, ne, notExists, sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { tablesOf } from '../db/tables.js';
import { updateById } from '../db/update-by-id.js';
import { numberedName, safeFileName } from './safe-file-name.js';
import type { WriteBatcher } from '../db/write-batcher.js';

/** The columns recorded with the path. */
interface Recorded {
  remoteName: string | null;
  size: number;
  sha256: string;
  meta: string;
  updatedAt: number;
}

/**
 * Records the path with the rest, where no other file of the order has it: one statement, whose answer says whether
 * the path was free. Two files that take the same path at once on PostgreSQL are kept apart by the unique index on
 * (order, path), and the later one is told the path was taken.
 */
function recordIfFreeStatement(db: AppDatabase) {
  const { files } = tablesOf(db);
  return prepared(db, 'recordPathIfFree', () =>
    db
      .update(files)
      .set({
        relativePath: sql`${sql.placeholder('candidate')}`,
        remoteName: sql`${sql.placeholder('remoteName')}`,
        size: sql`${sql.placeholder('size')}`,
        sha256: sql`${sql.placeholder('sha256')}`,
        meta: sql`${sql.placeholder('meta')}`,
        updatedAt: sql`${sql.placeholder('updatedAt')}`,
      })
      .where(
        and(
          eq(files.id, sql.placeholder('id')),
          // Inside the subquery `files` names its own rows: the other files of the order.
          notExists(
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
          ),
        ),
      )
      .returning({ id: files.id }),
  );
}

/** A write refused by a unique index: SQLite's code, or PostgreSQL's SQLSTATE, on the error or one it wraps. */
function isUniqueViolation(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}

async function recordIfFree(
  writes: WriteBatcher,
  file: { id: number; orderId: string },
  candidate: string,
  recorded: Recorded,
): Promise<boolean> {
  try {
    const rows = await writes.writeOne((tx) =>
      recordIfFreeStatement(tx).execute({ ...recorded, id: file.id, orderId: file.orderId, candidate }),
    );
    return rows.length === 1;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
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
 * Chooses the file's path inside its order's folder and records it, with the verified size and sha256 and the
 * source's description of the copy fetched (its `meta`), before the rename: if the process dies right after the
 * rename, the next attempt finds the file under the recorded path and recognises it instead of fetching it again.
 * The path is the one recorded for it, or the first free one for the name the server sent (made safe), numbered
 * when another file of the order has it. Each try is a write of its own (joining the caller's transaction, if it is
 * in one): a path once recorded is the file's.
 */
export async function reservePath(
  writes: WriteBatcher,
  file: { id: number; orderId: string; relativePath: string | null },
  remoteName: string | undefined,
  fallbackName: string,
  verified: { size: number; sha256: string; meta: string },
  /** A folder inside the order's folder (UNTRUSTED as a name: made safe the same way). */
  folder?: string,
): Promise<string> {
  const recorded: Recorded = { remoteName: remoteName ?? null, ...verified, updatedAt: Date.now() };
  if (file.relativePath) {
    const { relativePath } = file;
    await writes.writeOne((tx) => updateById(tx, 'files', file.id, { ...recorded, relativePath }));
    return relativePath;
  }
  const base = safeFileName(remoteName, fallbackName);
  const within = folderOf(file.orderId, folder);
  for (let n = 1; ; n += 1) {
    const candidate = `${within}/${n === 1 ? base : numberedName(base, n)}`;
    if (await recordIfFree(writes, file, candidate, recorded)) return candidate;
  }
}
