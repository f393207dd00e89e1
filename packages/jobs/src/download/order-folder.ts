import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const known = new Set<string>();

/**
 * Creates an order's download folder the first time this process needs it. Every file of an order lands in the same
 * folder, so asking the file system again for each one is wasted work; a folder removed behind our back makes the
 * rename fail, which is retried after `forgetOrderFolder`.
 */
export async function ensureOrderFolder(downloadDir: string, orderId: string): Promise<string> {
  const folder = join(downloadDir, orderId);
  if (!known.has(folder)) {
    await mkdir(folder, { recursive: true });
    known.add(folder);
  }
  return folder;
}

export function forgetOrderFolder(downloadDir: string, orderId: string): void {
  known.delete(join(downloadDir, orderId));
}
