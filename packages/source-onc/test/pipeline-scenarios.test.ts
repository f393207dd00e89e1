import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ctdAtBarkleyCanyon, ctdWindowsEndingInNodata, sha256OfFile } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { getOrderEvents } from '@onc-orders/jobs';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

describe('pipeline scenarios', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it.each([204, 404] as const)('ends a run whose file count is unknown at a %i', async (pastLastFile) => {
    // A slow run answers 202 to `run`, so the count is never told and the list ends at ONC's 204 or 404.
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 3, pastLastFile, runningMs: 150 } } });
    await harness.startWorkers();
    const order = await harness.waitForOrder(
      await harness.submit({ filters: ctdAtBarkleyCanyon, includeMetadataFile: false }),
    );
    expect(order.status).toBe('completed');
    const files = order.products[0]?.files ?? [];
    expect(files.filter((file) => file.status === 'complete').map((file) => file.index)).toEqual(['1', '2', '3']);
    expect(files.filter((file) => file.status === 'absent').map((file) => file.index)).toEqual(['4']);
    const ends = harness.sim.calls().filter((call) => call.method === 'download' && call.status === pastLastFile);
    expect(ends).toHaveLength(1);
  });

  it('waits through 202s after the run completed, without a second run call', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 2, ftpLagMs: 150 } } });
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon }));
    expect(order.status).toBe('completed');
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'download' && call.status === 202).length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(1);
  });

  it('fails a product whose run ends in error, shows a rejected request with its ONC code, keeps the rest', async () => {
    harness = await startPipelineHarness({
      sim: {
        behaviourFor: (filters) => (filters['deviceCategoryCode'] === 'OXYSENSOR' ? { outcome: 'error' } : undefined),
      },
    });
    await harness.startWorkers();
    const order = await harness.waitForOrder(
      await harness.submit({
        filters: { ...ctdAtBarkleyCanyon, deviceCategoryCode: ['CTD', 'OXYSENSOR', 'NOSUCHCATEGORY'] },
      }),
    );
    expect(order.status).toBe('failed');
    const [good, broken, rejected] = order.products;
    expect(good?.status).toBe('complete');
    expect(good?.files.every((file) => file.status === 'complete' || file.status === 'absent')).toBe(true);
    expect(broken?.status).toBe('failed');
    expect(broken?.error?.message).toMatch(/error/i);
    expect(rejected?.status).toBe('failed');
    expect(rejected?.error?.code).toBe(127);
    expect(rejected?.error?.parameter).toBe('deviceCategoryCode');
    // Discovery refused the unknown category before anything was ordered: no request was sent for it.
    const requests = harness.sim.calls().filter((call) => call.method === 'request');
    expect(requests).toHaveLength(2);
    expect(requests.some((call) => call.params['deviceCategoryCode'] === 'NOSUCHCATEGORY')).toBe(false);
    const manifest = JSON.parse(await readFile(join(harness.downloadDir, order.id, 'manifest.json'), 'utf8')) as {
      files: unknown[];
    };
    expect(manifest.files.length).toBeGreaterThan(0);
  });

  it('marks a window without data as nodata, which is not a failure', async () => {
    harness = await startPipelineHarness();
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ ...ctdWindowsEndingInNodata }));
    expect(order.status).toBe('completed');
    expect(order.products.map((product) => product.status)).toEqual(['complete', 'nodata']);
    expect(order.products[1]?.error?.code).toBe(33);
  });

  it('keeps hostile file names inside the order folder, each file under its own name', async () => {
    const hostile = [
      '../../escape.csv',
      '/etc/passwd',
      'a\u0001b\u0007.csv',
      'x/y.csv',
      '..',
      'manifest.json',
      'same.csv',
      'same.csv',
    ];
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: hostile.length, fileNames: hostile } } });
    await harness.startWorkers();
    const order = await harness.waitForOrder(
      await harness.submit({ filters: ctdAtBarkleyCanyon, includeMetadataFile: false }),
    );
    expect(order.status).toBe('completed');
    const orderDir = resolve(harness.downloadDir, order.id);
    const files = (order.products[0]?.files ?? []).filter((file) => file.status === 'complete');
    expect(files).toHaveLength(hostile.length);
    const paths = files.map((file) => resolve(harness?.downloadDir ?? '', file.path ?? ''));
    expect(new Set(paths).size).toBe(hostile.length);
    for (const [i, path] of paths.entries()) {
      expect(path.startsWith(`${orderDir}/`)).toBe(true);
      // eslint-disable-next-line no-control-regex -- proving no control character got through is the point
      expect(path.slice(orderDir.length + 1)).not.toMatch(/[/\\\u0000-\u001f]/);
      expect(await sha256OfFile(path)).toBe(files[i]?.sha256);
    }
    const names = await readdir(orderDir);
    expect(names.sort()).toEqual(['manifest.json', ...paths.map((path) => path.slice(orderDir.length + 1))].sort());
    const manifest = JSON.parse(await readFile(join(orderDir, 'manifest.json'), 'utf8')) as { orderId: string };
    expect(manifest.orderId).toBe(order.id);
  });

  it('retries 500s, 503s and a body cut mid-file, and still gets every file exactly once', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 2, fileSizeBytes: 100_000 } } });
    harness.sim.injectFault({ methods: ['request'], action: { kind: 'status', status: 500 } });
    harness.sim.injectFault({
      methods: ['status'],
      action: { kind: 'status', status: 503, headers: { 'retry-after': '0' } },
    });
    harness.sim.injectFault({ methods: ['download'], times: 2, action: { kind: 'truncate', afterBytes: 40_000 } });
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon }));
    expect(order.status).toBe('completed');
    const complete = order.products[0]?.files.filter((file) => file.status === 'complete') ?? [];
    expect(complete).toHaveLength(3);
    const events = await getOrderEvents(harness.database.db, order.id);
    expect(events.filter((event) => event.kind === 'retry').length).toBeGreaterThanOrEqual(3);
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'request' && call.status === 200)).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(1);
  });

  it('passes deleteFile=false through to ONC when the order asks to keep the files', async () => {
    harness = await startPipelineHarness();
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon, deleteFile: false }));
    expect(order.status).toBe('completed');
    const downloads = harness.sim.calls().filter((call) => call.method === 'download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((call) => call.params['deleteFile'] === 'false')).toBe(true);
  });

  it('expands a 50-product order with split and finishes it', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 1 } } });
    await harness.startWorkers();
    const orderId = await harness.submit({
      filters: { ...ctdAtBarkleyCanyon, dateFrom: '2016-01-01', dateTo: '2016-02-20' },
      split: 'P1D',
      includeMetadataFile: false,
    });
    const order = await harness.waitForOrder(orderId, undefined, 60_000);
    expect(order.products).toHaveLength(50);
    expect(order.status).toBe('completed');
    expect(order.products[0]?.filters['dateFrom']).toBe('2016-01-01T00:00:00.000Z');
    expect(order.products[49]?.filters['dateTo']).toBe('2016-02-20T00:00:00.000Z');
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(50);
  });
});
