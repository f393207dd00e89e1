import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Behaviour } from '@onc-orders/onc-sim';
import { ctdWindowsEndingInNodata, waitFor } from '@onc-orders/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/processes.js';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

// The whole system as it is deployed: the built API and two built workers as separate processes, driven only through
// the API's HTTP interface. The simulator (in this process) is only read, to know what ONC served.

const apiKey = 'k2';
const otherKey = 'k1';

// Names a hostile (or careless) server could put in Content-Disposition.
const hostileNames = [
  '../../escape.csv',
  '/etc/passwd',
  'a\u0001b\u0007.csv',
  'x/y.csv',
  '..\\..\\win.csv',
  '..',
  '.',
  'manifest.json',
  'MANIFEST.JSON',
  'same.csv',
  'same.csv',
  'q"uote.csv',
  'nul\u0000byte.csv',
  'ünïcødé.csv',
  `${'long'.repeat(80)}.csv`,
];

/**
 * One simulator serves every order of this file; each scenario is told apart by its filters (the window's first day,
 * or the device category), so products within one order can behave differently.
 */
function behaviourFor(filters: Readonly<Record<string, string>>): Partial<Behaviour> | undefined {
  if (filters['deviceCategoryCode'] === 'OXYSENSOR') return { outcome: 'error' };
  const day = filters['dateFrom']?.slice(0, 10) ?? '';
  // The 50-product order: one small file per product.
  if (day.startsWith('2016-01') || day.startsWith('2016-02')) return { filesPerRun: 1, fileSizeBytes: 512 };
  switch (day) {
    case '2016-03-01':
      return { runs: 3, filesPerRun: [2, 1, 3] };
    case '2016-04-01':
      return { filesPerRun: 3, runningMs: 300, pastLastFile: 204 };
    case '2016-04-02':
      return { filesPerRun: 3, runningMs: 300, pastLastFile: 404 };
    case '2016-05-01':
      return { filesPerRun: 2, ftpLagMs: 400 };
    case '2016-06-01':
      // RFC 6266's filename* carries the names exactly, control and non-ASCII characters included.
      return {
        filesPerRun: hostileNames.length,
        fileNames: hostileNames,
        filenameQuoting: 'rfc6266',
        metadataFile: false,
      };
    default:
      return undefined;
  }
}

const ctd = { dataProductCode: 'TSSD', extension: 'csv', locationCode: 'BACAX', deviceCategoryCode: 'CTD' };
const day = (date: string, next: string) => ({ ...ctd, dateFrom: date, dateTo: next });

// The API's answers, as its OpenAPI document describes them (read, never trusted to be complete).
interface FileBody {
  path: string | null;
  size: number | null;
  sha256: string | null;
  status: string;
  index: string;
  run: number;
  dpRunId?: number | null;
  error?: string;
}
interface ProductBody {
  ordinal: number;
  status: string;
  filters: Record<string, string>;
  dpRequestId: number | null;
  error?: { code: number | null; parameter: string | null; message: string };
  runs: Array<{ dpRunId: number; status: string; fileCount: number | null }>;
  files: FileBody[];
}
interface OrderBody {
  id: string;
  label: string | null;
  status: string;
  productCount: number;
  includeMetadataFile: boolean;
  progress: { filesTotal: number; filesComplete: number; products: Record<string, number> };
  products: ProductBody[];
}
interface ManifestBody {
  orderId: string;
  status: string;
  products: Array<{ product: number; status: string; error?: { code: number | null; parameter: string | null } }>;
  files: Array<{
    path: string;
    product: number;
    dpRequestId: number | null;
    dpRunId: number | null;
    index: string;
    size: number;
    sha256: string;
  }>;
}
interface ErrorBody {
  error: string;
  issues?: Array<{ field: string; message: string }>;
  orderId?: string;
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

describe('the API and two workers, driven over HTTP', () => {
  let harness: SystemHarness;
  let apiUrl: string;
  let workers: AppProcess[];

  async function call(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
    const { key = apiKey, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    return fetch(`${apiUrl}${path}`, { ...rest, headers });
  }

  async function json<T>(
    path: string,
    init: RequestInit & { key?: string | null } = {},
  ): Promise<{ status: number; body: T }> {
    const answer = await call(path, init);
    return { status: answer.status, body: (await answer.json()) as T };
  }

  async function post(spec: unknown, headers: Record<string, string> = {}) {
    return json<OrderBody & ErrorBody>('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(spec),
    });
  }

  async function submit(spec: unknown): Promise<string> {
    const { status, body } = await post(spec);
    expect(status, JSON.stringify(body)).toBe(201);
    return body.id;
  }

  async function finished(orderId: string, timeoutMs: number): Promise<OrderBody> {
    return waitFor(
      `order ${orderId} to finish (GET /orders/${orderId})`,
      async () => {
        const { body } = await json<OrderBody>(`/orders/${orderId}`);
        return ['completed', 'failed', 'cancelled'].includes(body.status) ? body : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  async function manifestOf(orderId: string): Promise<ManifestBody> {
    return JSON.parse(await readFile(join(harness.downloadDir, orderId, 'manifest.json'), 'utf8')) as ManifestBody;
  }

  /** The dpRunId a file came from: the run at the file's run ordinal. */
  function runIdOf(product: ProductBody, file: FileBody): number {
    const dpRunId = product.runs[file.run]?.dpRunId;
    if (dpRunId === undefined) throw new Error(`product ${product.ordinal} has no run ${file.run}`);
    return dpRunId;
  }

  /**
   * Everything a completed product promises: every file ONC serves for its filters (every run, the metadata file when
   * asked for) is complete, on disk under DOWNLOAD_DIR/<path> inside the order's folder, with the size and sha256 the
   * API reports and the simulator served, and listed in manifest.json; nothing else is.
   */
  async function expectProductDelivered(order: OrderBody, product: ProductBody, manifest: ManifestBody): Promise<void> {
    const orderDir = resolve(harness.downloadDir, order.id);
    const complete = product.files.filter((file) => file.status === 'complete');
    const expected = harness.sim
      .expectedFiles(product.filters)
      .filter((file) => order.includeMetadataFile || file.index !== 'meta')
      .map((file) => `${file.run}/${String(file.index)}/${file.sha256}`)
      .sort();
    expect(
      complete.map((file) => `${file.run}/${file.index}/${file.sha256 ?? ''}`).sort(),
      `product ${product.ordinal}`,
    ).toEqual(expected);
    for (const file of complete) {
      const dpRunId = runIdOf(product, file);
      expect(file.path).not.toBeNull();
      const onDisk = resolve(harness.downloadDir, file.path ?? '');
      expect(onDisk.startsWith(`${orderDir}${sep}`), onDisk).toBe(true);
      expect((await stat(onDisk)).size).toBe(file.size);
      const digest = await sha256(onDisk);
      expect(digest).toBe(file.sha256);
      expect(digest).toBe(harness.sim.fileSha256(dpRunId, file.index === 'meta' ? 'meta' : Number(file.index)));
      expect(manifest.files).toContainEqual({
        path: file.path,
        product: product.ordinal,
        dpRequestId: product.dpRequestId,
        dpRunId,
        index: file.index,
        size: file.size,
        sha256: file.sha256,
      });
    }
    // Anything not complete is the end of a list (ONC's 204/404), never a file that went missing.
    expect(product.files.filter((file) => file.status !== 'complete').map((file) => file.status)).toEqual(
      product.files.filter((file) => file.status !== 'complete').map(() => 'absent'),
    );
  }

  /** The order's folder holds the manifest and exactly the complete files, no temporary file. */
  async function expectOrderFolder(order: OrderBody): Promise<ManifestBody> {
    const manifest = await manifestOf(order.id);
    expect(manifest.orderId).toBe(order.id);
    expect(manifest.status).toBe(order.status);
    const complete = order.products.flatMap((product) => product.files).filter((file) => file.status === 'complete');
    expect(manifest.files).toHaveLength(complete.length);
    const onDisk = await filesUnder(join(harness.downloadDir, order.id));
    expect(onDisk.filter((name) => name.endsWith('.part'))).toEqual([]);
    expect(onDisk.sort()).toEqual(
      ['manifest.json', ...complete.map((file) => (file.path ?? '').slice(order.id.length + 1))].sort(),
    );
    return manifest;
  }

  /** ONC was asked once per product: one `request` (matched by its filters) and, if it was accepted, one `run`. */
  function expectOneRequestAndRunPerProduct(order: OrderBody): void {
    const calls = harness.sim.calls();
    for (const product of order.products) {
      const requests = calls.filter((c) => {
        if (c.method !== 'request') return false;
        const { token: _token, method: _method, ...filters } = c.params;
        return (
          JSON.stringify(Object.entries(filters).sort()) === JSON.stringify(Object.entries(product.filters).sort())
        );
      });
      // A product discovery refused is never requested; every other is requested exactly once.
      const refusedByDiscovery = product.status === 'failed' && product.dpRequestId === null;
      expect(requests, `request calls of product ${product.ordinal}`).toHaveLength(refusedByDiscovery ? 0 : 1);
      const runs = calls.filter((c) => c.method === 'run' && c.params['dpRequestId'] === String(product.dpRequestId));
      expect(runs, `run calls of product ${product.ordinal}`).toHaveLength(product.dpRequestId === null ? 0 : 1);
    }
  }

  beforeAll(async () => {
    harness = await startSystemHarness({
      sim: { behaviour: { filesPerRun: 2, metadataFile: true }, behaviourFor },
      env: { RECONCILE_INTERVAL_MS: '5000' },
    });
    apiUrl = (await harness.startApi({ API_KEYS: `${otherKey},${apiKey}` })).url;
    workers = [harness.startWorker({}, 'worker-a'), harness.startWorker({}, 'worker-b')];
  }, 30_000);

  afterAll(async () => {
    await harness?.close();
  }, 30_000);

  it('asks for an API key everywhere but /healthz, and accepts any configured key', async () => {
    const health = await call('/healthz', { key: null });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      database: harness.database.dialect,
      checks: { database: 'ok', redis: 'ok' },
      sources: {
        enabled: ['onc-data-products', 'onc-archive-files'],
        disabled: [
          { name: 'webcoos', missing: 'WEBCOOS_TOKEN (or WEBCOOS_BASE_URL pointing at a webcoos-sim)' },
          { name: 'datastream', missing: expect.stringContaining('DATASTREAM_API_KEY') as string },
        ],
      },
    });

    for (const path of ['/orders', '/orders/nope', '/orders/nope/events', '/no/such/route']) {
      const refused = await call(path, { key: null });
      expect(refused.status, path).toBe(401);
      expect(refused.headers.get('www-authenticate'), path).toMatch(/^Bearer /);
    }
    // The pages a person opens in a browser challenge with Basic, and take the key as a Basic password.
    for (const path of ['/docs/json', '/admin/queues']) {
      const refused = await call(path, { key: null });
      expect(refused.status, path).toBe(401);
      expect(refused.headers.get('www-authenticate'), path).toMatch(/^Basic /);
    }
    const wrongKey = await call('/orders', { key: 'k3' });
    expect(wrongKey.status).toBe(401);
    const noSubmit = await call('/orders', {
      key: null,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noSubmit.status).toBe(401);
    const basic = await call('/admin/queues', {
      key: null,
      headers: { authorization: `Basic ${Buffer.from(`me:${apiKey}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);

    expect((await call('/orders', { key: apiKey })).status).toBe(200);
    expect((await call('/orders', { key: otherKey })).status).toBe(200);
    const dashboardWithKey = await call('/admin/queues');
    expect(dashboardWithKey.status).toBe(200);
    expect(dashboardWithKey.headers.get('content-type')).toMatch(/text\/html/);
    const docs = await json<{ openapi: string; paths: Record<string, unknown> }>('/docs/json');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/orders', '/orders/{id}', '/orders/{id}/events', '/healthz']),
    );
  }, 15_000);

  it('refuses a bad spec with a 400 naming the field, and stores nothing', async () => {
    const before = (await json<{ total: number }>('/orders')).body.total;
    const cases: Array<[unknown, string]> = [
      [{ filters: { ...ctd, dateFrom: '2016-07-01', dateTo: '2016-07-02' }, split: 'P1X' }, 'split'],
      [{ filters: { ...ctd, dateFrom: '2016-07-01', dateTo: '2016-07-02' }, splt: 'P1D' }, 'splt'],
      [
        { filters: { ...ctd, dataProductCode: undefined, dateFrom: '2016-07-01', dateTo: '2016-07-02' } },
        'filters.dataProductCode',
      ],
      [{ filters: { ...ctd, dateFrom: '2016-07-01', dateTo: 'yesterday-ish' } }, 'filters.dateTo'],
      [{ filters: { ...ctd, dateFrom: '2016-07-01', dateTo: '2016-07-02' }, deleteFile: 'no' }, 'deleteFile'],
    ];
    for (const [spec, field] of cases) {
      const { status, body } = await post(spec);
      expect(status, JSON.stringify(spec)).toBe(400);
      expect(body.error).toBe('invalid order');
      expect(
        body.issues?.map((issue) => issue.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    const notJson = await call('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"filters":',
    });
    expect(notJson.status).toBe(400);
    expect((await json<{ total: number }>('/orders')).body.total).toBe(before);
    expect((await json<ErrorBody>('/orders/no-such-order')).status).toBe(404);
    expect((await json<ErrorBody>('/orders/no-such-order/events')).status).toBe(404);
  }, 15_000);

  it('returns the same order for a repeated Idempotency-Key, and refuses the key for another spec', async () => {
    const spec = { filters: day('2016-07-01', '2016-07-02'), label: 'idempotent' };
    const key = `idem-${Date.now()}`;
    const first = await post(spec, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await post(spec, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await post({ ...spec, label: 'another' }, { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(other.body.orderId).toBe(first.body.id);
    // Without a key, the same spec is a new order.
    const unkeyed = await post(spec);
    expect(unkeyed.status).toBe(201);
    expect(unkeyed.body.id).not.toBe(first.body.id);

    const order = await finished(first.body.id, 20_000);
    const unkeyedOrder = await finished(unkeyed.body.id, 20_000);
    expect(order.status).toBe('completed');
    expect(unkeyedOrder.status).toBe('completed');
    // The repeated POST ordered nothing: two orders of these filters, two requests and two runs on ONC.
    const calls = harness.sim.calls();
    const dpRequestIds = [order, unkeyedOrder].map((o) => String(o.products[0]?.dpRequestId));
    expect(new Set(dpRequestIds).size).toBe(2);
    expect(
      calls.filter((c) => c.method === 'request' && c.params['dateFrom'] === order.products[0]?.filters['dateFrom']),
    ).toHaveLength(2);
    expect(
      calls.filter((c) => c.method === 'run' && dpRequestIds.includes(c.params['dpRequestId'] ?? '')),
    ).toHaveLength(2);
    const listed = await json<{ items: Array<{ id: string; label: string | null }> }>('/orders?limit=500');
    expect(listed.body.items.filter((item) => item.label === 'idempotent')).toHaveLength(2);
  }, 30_000);

  it('downloads every run of a multi-run request with each metadata file', async () => {
    const orderId = await submit({ filters: day('2016-03-01', '2016-03-02') });
    const order = await finished(orderId, 20_000);
    expect(order.status).toBe('completed');
    const [product] = order.products;
    if (!product) throw new Error('no product');
    expect(product.runs).toHaveLength(3);
    expect(new Set(product.runs.map((run) => run.dpRunId)).size).toBe(3);
    const complete = product.files.filter((file) => file.status === 'complete');
    // 2 + 1 + 3 data files and one metadata file per run.
    expect(complete).toHaveLength(9);
    expect(
      complete
        .filter((file) => file.index === 'meta')
        .map((file) => file.run)
        .sort(),
    ).toEqual([0, 1, 2]);
    expect(order.progress.filesComplete).toBe(9);
    const manifest = await expectOrderFolder(order);
    await expectProductDelivered(order, product, manifest);
    expectOneRequestAndRunPerProduct(order);
    // Each file names the ONC run it came from (the pipeline's FileView has dpRunId; the API must not drop it).
    expect(complete.map((file) => file.dpRunId)).toEqual(complete.map((file) => product.runs[file.run]?.dpRunId));
  }, 30_000);

  it('ends a list of unknown length at a 204 and at a 404, and waits through 202s after completion', async () => {
    // Two products (one per day) end their lists differently; a third order's files reach the FTP server late.
    const listsId = await submit({
      filters: day('2016-04-01', '2016-04-03'),
      split: 'P1D',
      includeMetadataFile: false,
    });
    const lagId = await submit({ filters: day('2016-05-01', '2016-05-02') });
    const lists = await finished(listsId, 20_000);
    const lag = await finished(lagId, 20_000);
    expect(lists.status).toBe('completed');
    expect(lag.status).toBe('completed');

    const calls = harness.sim.calls();
    for (const [product, end] of [
      [lists.products[0], 204],
      [lists.products[1], 404],
    ] as const) {
      if (!product) throw new Error('missing product');
      // `run` answered 202, so the count was unknown: the list ended at ONC's answer past the last file.
      const runCalls = calls.filter(
        (c) => c.method === 'run' && c.params['dpRequestId'] === String(product.dpRequestId),
      );
      expect(runCalls.map((c) => c.status)).toEqual([202]);
      expect(product.files.filter((file) => file.status === 'complete').map((file) => file.index)).toEqual([
        '1',
        '2',
        '3',
      ]);
      expect(product.files.filter((file) => file.status === 'absent').map((file) => file.index)).toEqual(['4']);
      const runId = String(product.runs[0]?.dpRunId);
      const ends = calls.filter((c) => c.method === 'download' && c.params['dpRunId'] === runId && c.status === end);
      expect(ends).toHaveLength(1);
      // Never the metadata file when the order does not ask for it.
      expect(
        calls.filter((c) => c.method === 'download' && c.params['dpRunId'] === runId && c.params['index'] === 'meta'),
      ).toEqual([]);
    }
    await expectOrderFolder(lists).then((manifest) =>
      Promise.all(lists.products.map((product) => expectProductDelivered(lists, product, manifest))),
    );

    const [lagging] = lag.products;
    if (!lagging) throw new Error('missing product');
    const lagRun = lagging.runs[0];
    expect(lagRun?.status).toBe('complete');
    const lagDownloads = calls.filter(
      (c) => c.method === 'download' && c.params['dpRunId'] === String(lagRun?.dpRunId),
    );
    expect(lagDownloads.filter((c) => c.status === 202).length).toBeGreaterThan(0);
    // Every file fetched in full exactly once, despite the 202s.
    const full = lagDownloads.filter((c) => c.status === 200 && c.completed).map((c) => c.params['index']);
    expect(full.sort()).toEqual(['1', '2', 'meta']);
    await expectOrderFolder(lag).then((manifest) => expectProductDelivered(lag, lagging, manifest));
    expectOneRequestAndRunPerProduct(lists);
    expectOneRequestAndRunPerProduct(lag);
  }, 30_000);

  it('fails an order with a run in error and a rejected request (ONC code shown), keeping the good product', async () => {
    const orderId = await submit({
      filters: { ...day('2016-08-01', '2016-08-02'), deviceCategoryCode: ['CTD', 'OXYSENSOR', 'NOSUCHCATEGORY'] },
    });
    const order = await finished(orderId, 20_000);
    expect(order.status).toBe('failed');
    const [good, broken, rejected] = order.products;
    if (!good || !broken || !rejected) throw new Error('missing product');
    expect(good.status).toBe('complete');
    expect(good.error).toBeUndefined();
    expect(broken.status).toBe('failed');
    expect(broken.runs.map((run) => run.status)).toEqual(['error']);
    expect(broken.error?.message).toMatch(/error/i);
    expect(broken.files.filter((file) => file.status === 'complete')).toEqual([]);
    expect(rejected.status).toBe('failed');
    expect(rejected.dpRequestId).toBeNull();
    expect(rejected.error).toMatchObject({ code: 127, parameter: 'deviceCategoryCode' });
    expect(order.progress.products).toEqual({ complete: 1, failed: 2 });

    const manifest = await expectOrderFolder(order);
    await expectProductDelivered(order, good, manifest);
    expect(new Set(manifest.files.map((file) => file.product))).toEqual(new Set([good.ordinal]));
    expect(manifest.products.map((entry) => [entry.product, entry.status, entry.error?.code ?? null])).toEqual([
      [good.ordinal, 'complete', null],
      [broken.ordinal, 'failed', broken.error?.code ?? null],
      [rejected.ordinal, 'failed', 127],
    ]);
    // The user's mistake is refused by discovery before any request; the failed run is never run again.
    expectOneRequestAndRunPerProduct(order);

    const events = await json<Array<{ entity: string; kind: string; to: string | null; reason: string | null }>>(
      `/orders/${orderId}/events`,
    );
    expect(events.status).toBe(200);
    expect(events.body.some((event) => event.entity === 'order' && event.to === 'failed')).toBe(true);
    expect(events.body.filter((event) => event.entity === 'product' && event.to === 'failed')).toHaveLength(2);
  }, 30_000);

  it('marks a window without data as nodata (ONC code 33) and still completes the order', async () => {
    // The second two-day window has no data.
    const orderId = await submit({ ...ctdWindowsEndingInNodata });
    const order = await finished(orderId, 20_000);
    expect(order.status).toBe('completed');
    expect(order.products.map((product) => product.status)).toEqual(['complete', 'nodata']);
    const [withData, empty] = order.products;
    if (!withData || !empty) throw new Error('missing product');
    expect(empty.error?.code).toBe(33);
    expect(empty.files).toEqual([]);
    expect(empty.runs).toEqual([]);
    const manifest = await expectOrderFolder(order);
    await expectProductDelivered(order, withData, manifest);
    expectOneRequestAndRunPerProduct(order);
  }, 30_000);

  it('keeps hostile file names inside the order folder, each file under its own name', async () => {
    const orderId = await submit({ filters: day('2016-06-01', '2016-06-02') });
    const order = await finished(orderId, 20_000);
    expect(order.status).toBe('completed');
    const [product] = order.products;
    if (!product) throw new Error('missing product');
    const orderDir = resolve(harness.downloadDir, orderId);
    const complete = product.files.filter((file) => file.status === 'complete');
    expect(complete).toHaveLength(hostileNames.length);
    // The server really sent these names.
    expect(harness.sim.run(product.runs[0]?.dpRunId ?? 0)?.files.map((file) => file.name)).toEqual(hostileNames);
    const names = complete.map((file) => resolve(harness.downloadDir, file.path ?? '').slice(orderDir.length + 1));
    expect(new Set(names).size).toBe(hostileNames.length);
    for (const name of names) {
      expect(name, name).not.toMatch(/[/\\]/);
      expect(
        [...name].filter((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === '\u007f'),
        name,
      ).toEqual([]);
      expect(name).not.toMatch(/^\./);
      expect(name).not.toBe('manifest.json');
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    }
    // Nothing escaped: the download folder holds nothing but order folders, and the folder above it nothing new.
    const top = await readdir(harness.downloadDir);
    expect(
      top.every((name) => /^[\w-]+$/.test(name)),
      top.join(', '),
    ).toBe(true);
    const above = await readdir(harness.dir);
    expect(above.filter((name) => !/^(downloads|state\.sqlite(-wal|-shm|-journal)?|.+\.log)$/.test(name))).toEqual([]);
    const manifest = await expectOrderFolder(order);
    expect(manifest.orderId).toBe(orderId);
    await expectProductDelivered(order, product, manifest);
  }, 30_000);

  it('expands a 50-product order with split, finishes it on both workers, and lists it', async () => {
    const orderId = await submit({
      filters: day('2016-01-01', '2016-02-20'),
      split: 'P1D',
      includeMetadataFile: false,
      label: 'fifty',
    });
    const accepted = await json<OrderBody>(`/orders/${orderId}`);
    expect(accepted.body.productCount).toBe(50);
    expect(accepted.body.products).toHaveLength(50);

    const order = await finished(orderId, 45_000);
    expect(order.status).toBe('completed');
    expect(order.products.every((product) => product.status === 'complete')).toBe(true);
    expect(order.products[0]?.filters['dateFrom']).toBe('2016-01-01T00:00:00.000Z');
    expect(order.products[49]?.filters['dateTo']).toBe('2016-02-20T00:00:00.000Z');
    expect(order.progress.filesComplete).toBe(50);
    const manifest = await expectOrderFolder(order);
    for (const product of order.products) await expectProductDelivered(order, product, manifest);
    expectOneRequestAndRunPerProduct(order);

    // Both worker processes are still alive, and the dashboard sees both on each queue.
    for (const worker of workers) expect(worker.child.exitCode, worker.logPath).toBeNull();
    const queues = await json<{ queues: Array<{ name: string; counts: Record<string, number> }> }>(
      '/admin/queues/api/queues',
    );
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((queue) => queue.name).sort()).toEqual(['control', 'downloads-onc']);
    // Failed jobs are the products that failed for good in this file's earlier orders, each with its reason; none of
    // this order's.
    const failedJobs = (await Promise.all(harness.queues.all().map((queue) => queue.getJobs(['failed'])))).flat();
    expect(failedJobs.filter((job) => job.data.orderId === orderId)).toEqual([]);
    for (const job of failedJobs) expect(job.failedReason, job.name).not.toBe('');
    for (const queue of queues.body.queues) {
      expect(queue.counts['completed'], `completed jobs on ${queue.name}`).toBeGreaterThanOrEqual(50);
      const connected = await json<{ workers: unknown[] | null }>(`/admin/queues/api/queues/${queue.name}/workers`);
      expect(connected.body.workers, `workers on ${queue.name}`).toHaveLength(workers.length);
    }

    // Listed newest first, with working pages and a status filter.
    const page = await json<{ items: Array<{ id: string; status: string }>; nextCursor: string | null; total: number }>(
      '/orders?limit=1',
    );
    expect(page.status).toBe(200);
    expect(page.body.items.map((item) => item.id)).toEqual([orderId]);
    expect(page.body.nextCursor).toBe(page.body.total > 1 ? orderId : null);
    const all = await json<{ items: Array<{ id: string; status: string }>; total: number }>('/orders?limit=500');
    expect(all.body.items).toHaveLength(all.body.total);
    expect(all.body.items[0]?.id).toBe(orderId);
    const second = await json<{ items: Array<{ id: string }> }>(`/orders?limit=1&cursor=${orderId}`);
    expect(second.body.items.map((item) => item.id)).toEqual(all.body.items.slice(1, 2).map((item) => item.id));
    const completed = await json<{ items: Array<{ status: string }>; total: number }>('/orders?status=completed');
    expect(completed.body.total).toBe(all.body.items.filter((item) => item.status === 'completed').length);
    expect(completed.body.items.length).toBeGreaterThan(0);
    expect(completed.body.items.every((item) => item.status === 'completed')).toBe(true);
    expect((await call('/orders?status=bogus')).status).toBe(400);
  }, 60_000);
});
