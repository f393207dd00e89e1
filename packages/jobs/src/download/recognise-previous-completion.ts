import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileRow } from '../db/schema.js';
import type { PipelineContext } from '../pipeline-context.js';
import { completeFile } from '../progress/complete-file.js';
import { syncFile } from './sync-file.js';
import type { ListedFile } from '../sources/source-port.js';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

async function matchesRecord(path: string, size: number, sha256: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && info.size === size && (await sha256Of(path)) === sha256;
}

/**
 * A previous attempt verified the file, recorded its path, size and sha256, renamed it into place and died before
 * marking it complete. The file on disk is checked against the record; if it matches, it is complete without asking
 * the service again (ONC, with deleteFile, would answer 410).
 */
export async function recognisePreviousCompletion(
  ctx: PipelineContext,
  file: FileRow,
  temporaryPath: string,
  next: ListedFile<unknown> | undefined,
): Promise<boolean> {
  if (!file.relativePath || !file.sha256 || file.size === null) return false;
  const finalPath = join(ctx.config.downloadDir, file.relativePath);
  if (!(await matchesRecord(finalPath, file.size, file.sha256))) {
    // Died between recording the verified copy and renaming it: the temporary file is the verified one.
    if (!(await matchesRecord(temporaryPath, file.size, file.sha256))) return false;
    // Its bytes may still be only in the page cache (the fsync comes after the download slot is given up).
    await syncFile(temporaryPath);
    await rename(temporaryPath, finalPath);
  }
  await completeFile(ctx.writes, file, {
    reason: 'found on disk, verified, after an interrupted finish',
    patch: { bytesDownloaded: file.size ?? 0 },
    next,
  });
  return true;
}
