import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ctdAtBarkleyCanyon, sha256OfFile } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';
import { rawRows } from '@onc-orders/testkit';

describe('the order pipeline against the simulator', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('downloads every file of every run, verified, exactly once, and writes the manifest', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { runs: 2, filesPerRun: 3 } } });
    await harness.startWorkers();
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, label: 'two runs' });
    const order = await harness.waitForOrder(orderId);

    expect(order.status).toBe('completed');
    const [product] = order.products;
    expect(product?.status).toBe('complete');
    expect(product?.runs).toHaveLength(2);
    const files = product?.files ?? [];
    // 2 runs × (3 data files + metadata), plus one 404/204 probe per run past the last data file.
    expect(files.filter((file) => file.status === 'complete')).toHaveLength(8);
    for (const file of files.filter((f) => f.status === 'complete')) {
      expect(file.path?.startsWith(`${orderId}/`)).toBe(true);
      const onDisk = join(harness.downloadDir, file.path ?? '');
      expect(await sha256OfFile(onDisk)).toBe(file.sha256);
      expect(file.sha256).toBe(
        harness.sim.fileSha256(file.dpRunId ?? 0, file.index === 'meta' ? 'meta' : Number(file.index)),
      );
    }
    const names = await readdir(join(harness.downloadDir, orderId));
    expect(names.filter((name) => name.endsWith('.part'))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(harness.downloadDir, orderId, 'manifest.json'), 'utf8')) as {
      files: Array<{ sha256: string; dpRunId: number }>;
    };
    expect(manifest.files).toHaveLength(8);

    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(1);
    const fileDownloads = calls.filter((call) => call.method === 'download' && call.status === 200);
    expect(fileDownloads).toHaveLength(8);

    // Every job's lease ended with it, whether its last write ended it or the worker released it afterwards.
    const held = await rawRows(
      harness.database,
      `SELECT 'product' AS entity, id FROM products WHERE lease_owner IS NOT NULL
         UNION ALL SELECT 'file', id FROM files WHERE lease_owner IS NOT NULL`,
    );
    expect(held).toEqual([]);
  });
});
