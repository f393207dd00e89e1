import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';
import { rawRows } from '@onc-orders/testkit';

interface ArchiveFileView {
  path: string | null;
  size: number | null;
  sha256: string | null;
  status: string;
  filename: string;
}
interface ArchiveOrderView {
  status: string;
  source: string;
  products: Array<{
    status: string;
    error?: { code: number | null; parameter: string | null; message: string };
    pagesListed: number;
    files: ArchiveFileView[];
  }>;
}

const twoDaysOfHydrophone = {
  source: 'onc-archive-files',
  filters: {
    locationCode: 'BACAX',
    deviceCategoryCode: 'HYDROPHONE',
    dateFrom: '2016-07-25T00:00:00.000Z',
    dateTo: '2016-07-26T12:00:00.000Z',
    fileExtension: 'wav',
  },
  split: 'P1D',
};

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

describe('ONC archived files', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function archiveOrder(spec: unknown): Promise<ArchiveOrderView> {
    if (!harness) throw new Error('no harness');
    return (await harness.waitForOrder(await harness.submit(spec), undefined, 60_000)) as unknown as ArchiveOrderView;
  }

  it.each(['path', 'method'] as const)(
    'lists a multi-day hydrophone archive page by page (%s URLs) and downloads every file once, verified',
    async (urlStyle) => {
      harness = await startPipelineHarness({
        sim: { archive: { maxRowLimit: 40, fileSizeBytes: 3_000 } },
        onc: { ONC_URL_STYLE: urlStyle },
      });
      await harness.startWorkers();
      const order = await archiveOrder(twoDaysOfHydrophone);

      expect(order.status).toBe('completed');
      expect(order.source).toBe('onc-archive-files');
      expect(order.products.map((product) => product.status)).toEqual(['complete', 'complete']);
      // 288 five-minute files a day, 40 to a page: several pages per window.
      expect(order.products[0]?.pagesListed).toBeGreaterThan(5);
      const truth = harness.sim.archiveFiles({
        locationCode: 'BACAX',
        deviceCategoryCode: 'HYDROPHONE',
        dateFrom: twoDaysOfHydrophone.filters.dateFrom,
        dateTo: twoDaysOfHydrophone.filters.dateTo,
        fileExtension: 'wav',
      });
      const files = order.products.flatMap((product) => product.files);
      expect(files.map((file) => file.filename).sort()).toEqual(truth.map((file) => file.name).sort());
      for (const expected of truth) {
        const file = files.find((candidate) => candidate.filename === expected.name);
        expect(file?.status).toBe('complete');
        expect(file?.sha256).toBe(expected.sha256);
        expect(file?.path).toBe(`${files.length > 0 ? file?.path?.split('/')[0] : ''}/${expected.name}`);
        expect(await sha256Of(join(harness.downloadDir, file?.path ?? ''))).toBe(expected.sha256);
      }
      // Each file was fetched once; the listing pages were asked for once each.
      const downloads = harness.sim.calls().filter((call) => call.method === 'archivefile/download');
      expect(downloads).toHaveLength(truth.length);
      expect(new Set(downloads.map((call) => call.params['filename'])).size).toBe(truth.length);
      // ONC's next.parameters echo the token (the simulator does, as ONC may): none of it was saved.
      const saved = await rawRows<{ state: string }>(harness.database, 'SELECT state FROM products');
      expect(saved.length).toBe(2);
      for (const row of saved) expect(row.state).not.toContain(harness.sim.token);
    },
    90_000,
  );

  it('downloads a file that two windows list once, and a name repeated across pages once', async () => {
    // The 'dateFrom' paging form starts each next page at the first file not yet returned: pages repeat names.
    harness = await startPipelineHarness({
      sim: { archive: { maxRowLimit: 7, paging: 'dateFrom', fileSizeBytes: 500 } },
    });
    const window = (from: string, to: string) => ({
      deviceCode: 'ICLISTENHF1251',
      dateFrom: `2016-07-25T${from}:00.000Z`,
      dateTo: `2016-07-25T${to}:00.000Z`,
      fileExtension: 'flac',
    });
    const first = harness.sim.archiveFiles(window('00:00', '01:00'));
    const second = harness.sim.archiveFiles(window('01:00', '02:00'));
    const spanning = first[first.length - 1];
    expect(spanning).toBeDefined();
    // The second window's listing also names the last file of the first (a file that spans both windows).
    harness.sim.injectFault({
      methods: ['archivefile/device'],
      when: (call) => call.params['dateFrom']?.startsWith('2016-07-25T01:00') === true,
      times: 1,
      action: {
        kind: 'status',
        status: 200,
        body: { next: null, queryUrl: '', files: [spanning?.name, ...second.map((file) => file.name)] },
      },
    });
    await harness.startWorkers();
    const order = await archiveOrder({
      source: 'onc-archive-files',
      filters: { ...window('00:00', '02:00'), deviceCode: ['ICLISTENHF1251', 'ICLISTENHF1251'] },
      split: 'PT1H',
    });
    expect(order.status).toBe('completed');
    const names = order.products.flatMap((product) => product.files.map((file) => file.filename));
    expect(names.sort()).toEqual([...first, ...second].map((file) => file.name).sort());
    // Whichever window listed it first holds it; it is in the order once.
    expect(names.filter((name) => name === spanning?.name)).toHaveLength(1);
    const downloads = harness.sim.calls().filter((call) => call.method === 'archivefile/download');
    expect(downloads).toHaveLength(first.length + second.length);
    expect(new Set(downloads.map((call) => call.params['filename'])).size).toBe(downloads.length);
  });

  it('makes an empty window nodata, and rejects a bad code with ONC’s code and parameter', async () => {
    harness = await startPipelineHarness({ sim: { archive: { fileSizeBytes: 500 } } });
    // Discovery unreachable: ONC's listing itself refuses the mistake.
    harness.sim.injectFault({
      methods: ['deviceCategories', 'locations', 'devices'],
      times: 100,
      action: { kind: 'status', status: 503, body: { message: 'unavailable' } },
    });
    await harness.startWorkers();
    const order = await archiveOrder({
      source: 'onc-archive-files',
      filters: {
        locationCode: 'BACAX',
        deviceCategoryCode: ['HYDROPHONE', 'NOSUCHCATEGORY'],
        dateFrom: '2005-01-01T00:00:00.000Z',
        dateTo: '2005-01-02T00:00:00.000Z',
      },
    });
    expect(order.status).toBe('failed');
    const [empty, bad] = order.products;
    expect(empty?.status).toBe('nodata');
    expect(bad?.status).toBe('failed');
    expect(bad?.error?.code).toBe(127);
    expect(bad?.error?.parameter).toBe('deviceCategoryCode');
  });

  it('an invalid token (401) fails the product with ONC’s words, never retried', async () => {
    harness = await startPipelineHarness({ sim: { archive: { fileSizeBytes: 500 } } });
    harness.sim.injectFault({
      methods: ['archivefile/location'],
      times: 100,
      action: {
        kind: 'status',
        status: 401,
        body: { errors: [{ errorCode: 127, errorMessage: 'Invalid token', parameter: 'token' }] },
      },
    });
    await harness.startWorkers();
    const order = await archiveOrder({
      source: 'onc-archive-files',
      filters: {
        locationCode: 'BACAX',
        deviceCategoryCode: 'HYDROPHONE',
        dateFrom: '2016-07-25',
        dateTo: '2016-07-26',
      },
    });
    expect(order.status).toBe('failed');
    expect(order.products[0]?.error).toMatchObject({ parameter: 'token' });
    expect(order.products[0]?.error?.message).toContain('Invalid token');
    expect(harness.sim.calls().filter((call) => call.method === 'archivefile/location')).toHaveLength(1);
  });

  it('a discovery-refused category fails its products before any listing, naming the field and what is there', async () => {
    harness = await startPipelineHarness({ sim: { archive: { fileSizeBytes: 500 } } });
    await harness.startWorkers();
    const order = await archiveOrder({
      source: 'onc-archive-files',
      filters: {
        locationCode: 'BACAX',
        deviceCategoryCode: 'HYDROPHON',
        dateFrom: '2016-07-25T00:00:00.000Z',
        dateTo: '2016-07-27T00:00:00.000Z',
      },
      split: 'P1D',
    });
    expect(order.status).toBe('failed');
    for (const product of order.products) {
      expect(product.status).toBe('failed');
      expect(product.error?.parameter).toBe('deviceCategoryCode');
      expect(product.error?.message).toContain('filters.deviceCategoryCode');
      expect(product.error?.message).toContain('HYDROPHONE');
    }
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'archivefile/location')).toHaveLength(0);
    // Two windows of one combination: discovery was asked about it once.
    expect(
      calls.filter((call) => call.method === 'deviceCategories' && call.params['deviceCategoryCode'] === 'HYDROPHON'),
    ).toHaveLength(1);
  });
});
