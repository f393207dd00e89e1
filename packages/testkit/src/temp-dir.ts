import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the OS temp dir; `remove` deletes it and everything in it. */
export async function makeTempDir(label: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `onc-orders-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
