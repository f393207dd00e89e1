import { open } from 'node:fs/promises';

/** Makes a file's bytes durable (fsync) before it is renamed into place: a rename must never outrun its data. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
