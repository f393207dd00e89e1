import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The order spec from a file or standard input (`-`). A relative path is the caller's: `pnpm cli` runs from the
 * repository's root, and says where it was called from in INIT_CWD.
 */
export async function readSpec(source: string): Promise<unknown> {
  if (source === '-') return JSON.parse(await readStdin()) as unknown;
  const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), source);
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`cannot read the order spec ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`the order spec ${path} is not JSON: ${(error as Error).message}`);
  }
}
