import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyMigrations, defaultMigrationsFolder, openDatabase } from '@onc-orders/jobs';
import { makeTempDir } from '@onc-orders/testkit';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

/** The migrations folder as the release before the source port had it: 0000 to 0002. */
async function olderMigrations(dir: string): Promise<string> {
  const folder = join(dir, 'migrations');
  await mkdir(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(await readFile(join(defaultMigrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ idx: number; tag: string }>;
  };
  const older = journal.entries.filter((entry) => entry.idx <= 2);
  for (const entry of older)
    await copyFile(join(defaultMigrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: older }));
  return folder;
}

describe('the source-port migration, on rows the older release could leave behind', () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await remove?.();
    remove = undefined;
  });

  it('forgets the old runs of a product re-ordered before the upgrade, and keeps restarts out of idempotency', async () => {
    const temp = await makeTempDir('migration');
    remove = temp.remove;
    const path = join(temp.path, 'state.sqlite');
    const old = new Database(path);
    applyMigrations(old, await olderMigrations(temp.path));
    const spec = JSON.stringify({ filters: { dataProductCode: 'TSSD' }, includeMetadataFile: true, deleteFile: true });
    old
      .prepare(
        `INSERT INTO orders (id, label, status, spec, delete_file, include_metadata_file, product_count, idempotency_key)
         VALUES ('o1', NULL, 'running', ?, 0, 1, 1, 'key-1')`,
      )
      .run(spec);
    // Re-ordered after a 410: its request and run were reset, the old run's row was kept.
    old
      .prepare(
        `INSERT INTO products (id, order_id, ordinal, filters, status, dp_request_id, run_requested_at, reorders)
         VALUES (1, 'o1', 0, '{"locationCode":"BACAX"}', 'pending', NULL, NULL, 1)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO runs (product_id, ordinal, dp_run_id, status, file_count) VALUES (1, 0, 777, 'complete', 2)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO files (order_id, product_id, run_ordinal, file_index, status, dp_run_id, relative_path, size, sha256)
         VALUES ('o1', 1, 0, '1', 'complete', 777, 'o1/a.csv', 10, 'ab'), ('o1', 1, 0, '2', 'pending', NULL, NULL, NULL, NULL)`,
      )
      .run();
    old.close();

    const upgraded = openDatabase(path);
    const product = upgraded.sqlite.prepare('SELECT status, step, state FROM products WHERE id = 1').get() as {
      status: string;
      step: number;
      state: string;
    };
    expect(product.status).toBe('pending');
    expect(JSON.parse(product.state)).toMatchObject({ dpRequestId: null, runRequestedAt: null, runs: [] });
    const order = upgraded.sqlite.prepare('SELECT spec, submitted_spec FROM orders').get() as {
      spec: string;
      submitted_spec: string;
    };
    // The restart's deleteFile false is in the spec; the submitted spec is what a retried POST is matched against.
    expect(JSON.parse(order.spec)).toMatchObject({ deleteFile: false, includeMetadataFile: true });
    expect(order.submitted_spec).toBe(spec);
    const files = upgraded.sqlite.prepare('SELECT ref, meta, status FROM files ORDER BY id').all();
    expect(files).toEqual([
      { ref: 'product-0/run-1/file-1', meta: '{"run":0,"index":"1","dpRunId":777}', status: 'complete' },
      { ref: 'product-0/run-1/file-2', meta: '{"run":0,"index":"2","dpRunId":null}', status: 'pending' },
    ]);
    upgraded.close();
  });
});
