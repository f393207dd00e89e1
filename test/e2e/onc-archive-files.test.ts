import { join } from 'node:path';
import { deleteKeysWithPrefix, sha256OfFile, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';
import { rawRows } from '@onc-orders/testkit';

interface ArchiveOrderView {
  status: string;
  source: string;
  products: Array<{
    status: string;
    pagesListed: number;
    files: Array<{ path: string | null; size: number | null; sha256: string | null; status: string; filename: string }>;
  }>;
}

const hydrophoneDay = {
  locationCode: 'BACAX',
  deviceCategoryCode: 'HYDROPHONE',
  dateFrom: '2016-07-25T00:00:00.000Z',
  dateTo: '2016-07-26T00:00:00.000Z',
  fileExtension: 'wav',
};

async function archiveView(harness: SystemHarness, orderId: string): Promise<ArchiveOrderView | undefined> {
  return (await harness.view(orderId)) as unknown as ArchiveOrderView | undefined;
}

/**
 * Every file of the order is complete on disk with the simulator's own sha256, and was fetched whole once — but for
 * files a killed worker had in flight (`inFlightAtDeath`), whose bytes may have reached it without being recorded.
 */
async function expectEveryFileOnce(
  harness: SystemHarness,
  order: ArchiveOrderView,
  filters: typeof hydrophoneDay,
  inFlightAtDeath = 0,
) {
  const truth = harness.sim.archiveFiles(filters);
  const files = order.products.flatMap((product) => product.files);
  expect(files.map((file) => file.filename).sort()).toEqual(truth.map((file) => file.name).sort());
  for (const expected of truth) {
    const file = files.find((candidate) => candidate.filename === expected.name);
    expect(file?.status).toBe('complete');
    expect(await sha256OfFile(join(harness.downloadDir, file?.path ?? ''))).toBe(expected.sha256);
  }
  const whole = harness.sim
    .calls()
    .filter((call) => call.method === 'archivefile/download' && call.status === 200 && call.completed);
  expect(whole.length - new Set(whole.map((call) => call.params['filename'])).size).toBeLessThanOrEqual(
    inFlightAtDeath,
  );
  return { truth, files };
}

describe('ONC archived files, with real api and worker processes', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a worker killed in the middle of a listing: the next lists on from the saved page, no page listed twice', async () => {
    harness = await startSystemHarness({ sim: { archive: { maxRowLimit: 20, fileSizeBytes: 2_000 } } });
    const { url } = await harness.startApi();
    const submitted = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'onc-archive-files', filters: hydrophoneDay }),
    });
    expect(submitted.status).toBe(201);
    const { id: orderId } = (await submitted.json()) as { id: string };
    const doomed = harness.startWorker({ FAILPOINTS: 'after-listing-page-saved:3' }, 'worker-dies-listing');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // What the dead worker left: three pages saved, the next page's query without the token.
    const [saved] = await rawRows<{ state: string }>(
      harness.database,
      'SELECT state FROM products WHERE order_id = ?',
      orderId,
    );
    if (!saved) throw new Error('the product row is gone');
    expect(JSON.parse(saved.state)).toMatchObject({ pages: 3, done: false, next: { page: '4' } });
    expect(saved.state).not.toContain(harness.sim.token);

    harness.startWorker({}, 'worker-after');
    const order = await waitFor('the order to end', async () => {
      const view = await archiveView(harness as SystemHarness, orderId);
      return view && ['completed', 'failed'].includes(view.status) ? view : undefined;
    });
    expect(order.status).toBe('completed');
    expect(order.source).toBe('onc-archive-files');
    const { truth } = await expectEveryFileOnce(harness, order, hydrophoneDay);
    const pages = harness.sim
      .calls()
      .filter((call) => call.method === 'archivefile/location')
      .map((call) => call.params['page'] ?? '1');
    expect(pages).toHaveLength(Math.ceil(truth.length / 20));
    expect(new Set(pages).size).toBe(pages.length);

    const view = (await (await fetch(`${url}/orders/${orderId}`)).json()) as ArchiveOrderView & {
      products: Array<{ files: Array<Record<string, unknown>> }>;
    };
    expect(view.source).toBe('onc-archive-files');
    expect(Object.keys(view.products[0]?.files[0] ?? {})).toEqual(
      expect.arrayContaining(['path', 'size', 'sha256', 'status']),
    );
  });

  it('a worker killed in the middle of a file: the next resumes it with Range, and it is verified', async () => {
    harness = await startSystemHarness({
      sim: { archive: { fileSizeBytes: 600_000, rangeSupport: true } },
    });
    const filters = { ...hydrophoneDay, dateTo: '2016-07-25T00:20:00.000Z' };
    const orderId = await harness.submit({ source: 'onc-archive-files', filters });
    const doomed = harness.startWorker({ FAILPOINTS: 'download-mid-body' }, 'worker-dies-mid-file');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    harness.startWorker({}, 'worker-after');
    const order = await harness.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    // ONC_MAX_DOWNLOADS (3) were in flight when the worker died.
    await expectEveryFileOnce(harness, order as unknown as ArchiveOrderView, filters, 3);
    const resumed = harness.sim
      .calls()
      .filter((call) => call.method === 'archivefile/download' && call.status === 206 && call.completed);
    // Each file the dead worker had in flight (up to ONC_MAX_DOWNLOADS) went on from its partial copy.
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    for (const call of resumed) expect(call.bodyBytes).toBeLessThan(600_000);
  });

  it('a multi-day order, paged, through a Redis wipe: the queues are rebuilt from SQLite, nothing listed twice', async () => {
    harness = await startSystemHarness({
      sim: { archive: { maxRowLimit: 50, fileSizeBytes: 2_000 }, latencyMs: 5 },
      env: { RECONCILE_INTERVAL_MS: '1000', ONC_MAX_RPS: '60' },
    });
    harness.startWorker();
    const filters = { ...hydrophoneDay, dateTo: '2016-07-27T00:00:00.000Z' };
    const orderId = await harness.submit({ source: 'onc-archive-files', filters, split: 'P1D' });
    await waitFor('some files to be on disk', async () => {
      const view = await archiveView(harness as SystemHarness, orderId);
      return view?.products.some((product) => product.files.some((file) => file.status === 'complete'))
        ? true
        : undefined;
    });
    expect(await deleteKeysWithPrefix(harness.env['REDIS_URL'] ?? '', harness.prefix)).toBeGreaterThan(0);
    const order = (await harness.waitForOrder(orderId)) as unknown as ArchiveOrderView;
    expect(order.status).toBe('completed');
    const { truth } = await expectEveryFileOnce(harness, order, filters);
    expect(order.products).toHaveLength(2);
    expect(order.products.every((product) => product.pagesListed >= 5)).toBe(true);
    expect(order.products.reduce((sum, product) => sum + product.files.length, 0)).toBe(truth.length);
  });
});
