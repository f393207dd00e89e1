import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startDataStreamSimulator,
  type DataStreamSimulator,
  type DataStreamSimulatorOptions,
} from '@onc-orders/datastream-sim';
import { getOrderView } from '@onc-orders/jobs';
import type { DataStreamOrderView } from '@onc-orders/source-datastream';
import { deleteKeysWithPrefix, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { readCsv } from '../support/csv-reader.js';
import { storedStateContains } from '../support/stored-state.js';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

const filter = "CharacteristicName in ('pH', 'Temperature, water')";
const small: DataStreamSimulatorOptions = { seed: 7, locations: 4, datasets: 2, observationsPerLocation: [60, 110] };

/** A cell as the simulator's value reads in CSV: null is empty, a number its JS text. */
const cellOf = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

describe('DataStream: partitioned, resumable pulls against the simulator', () => {
  let harness: SystemHarness | undefined;
  let sim: DataStreamSimulator | undefined;
  afterEach(async () => {
    await harness?.close();
    await sim?.close();
    harness = undefined;
    sim = undefined;
  });

  async function start(options: DataStreamSimulatorOptions = small, env: Record<string, string> = {}) {
    sim = await startDataStreamSimulator(options);
    harness = await startSystemHarness({
      env: {
        DATASTREAM_BASE_URL: sim.url,
        DATASTREAM_API_KEY: sim.apiKey,
        DATASTREAM_PAGE_SIZE: '20',
        ...env,
      },
    });
    return { sim, harness };
  }

  const viewOf = async (h: SystemHarness, orderId: string) =>
    (await getOrderView(h.database.db, h.sources, orderId)) as DataStreamOrderView | undefined;

  async function finished(h: SystemHarness, orderId: string): Promise<DataStreamOrderView> {
    await h.waitForOrder(orderId, undefined, 90_000);
    const view = await viewOf(h, orderId);
    if (!view) throw new Error(`order ${orderId} vanished`);
    return view;
  }

  /** Every partition's file against the simulator's own rows for that location: same rows, same order, once. */
  async function expectPartitionsMatch(
    h: SystemHarness,
    s: DataStreamSimulator,
    order: DataStreamOrderView,
    format: 'csv' | 'jsonl',
    select?: string[],
  ) {
    const locations = s.locationIds(filter);
    expect(order.products.map((product) => product.locationId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(locations);
    for (const product of order.products) {
      const expected = s.rows('Observations', {
        filter: `LocationId eq ${product.locationId} and (${filter})`,
        ...(select ? { select } : {}),
      });
      expect(product.status).toBe(expected.length === 0 ? 'nodata' : 'complete');
      if (expected.length === 0) continue;
      const file = product.files[0];
      expect(file?.path).toBe(`${order.id}/Observations-${product.locationId}.${format}`);
      expect(file?.rows).toBe(expected.length);
      const text = await readFile(join(h.downloadDir, file?.path ?? ''), 'utf8');
      if (format === 'jsonl') {
        expect(text.endsWith('\n')).toBe(true);
        expect(
          text
            .slice(0, -1)
            .split('\n')
            .map((line) => JSON.parse(line) as unknown),
        ).toEqual(expected);
      } else {
        const [header, ...records] = readCsv(text);
        const columns = header ?? [];
        expect(columns).toEqual(select ?? Object.keys(expected[0] ?? {}));
        expect(records).toEqual(expected.map((row) => columns.map((column) => cellOf(row[column]))));
      }
      expect(product.rows).toBe(expected.length);
    }
    const dois = [...new Set(s.rows('Observations', { filter }).map((row) => row['DOI'] as string))].sort();
    const datasets = JSON.parse(await readFile(join(h.downloadDir, order.id, 'datasets.json'), 'utf8')) as unknown;
    expect(datasets).toEqual(
      dois.map((doi) => {
        const meta = s.metadata(doi) ?? {};
        return {
          DOI: doi,
          DatasetName: meta['DatasetName'],
          Citation: meta['Citation'],
          Licence: meta['Licence'],
          Version: meta['Version'],
        };
      }),
    );
    const left = await readdir(join(h.downloadDir, order.id));
    expect(left.filter((name) => name.endsWith('.part') || name.startsWith('.'))).toEqual([]);
  }

  it('two workers pull one order in csv and one in jsonl: every row as the simulator has it, never two calls at once nor three in a second', async () => {
    const { sim: s, harness: h } = await start();
    h.startWorker({}, 'worker-a');
    h.startWorker({}, 'worker-b');
    const select = ['Id', 'LocationId', 'ActivityStartDate', 'CharacteristicName', 'ResultValue', 'ResultUnit', 'DOI'];
    const csvOrder = await h.submit({ source: 'datastream', filter, label: 'csv pull' });
    const jsonlOrder = await h.submit({ source: 'datastream', filter, select, format: 'jsonl' });
    const csv = await finished(h, csvOrder);
    const jsonl = await finished(h, jsonlOrder);
    expect(csv.status).toBe('completed');
    expect(jsonl.status).toBe('completed');
    await expectPartitionsMatch(h, s, csv, 'csv');
    await expectPartitionsMatch(h, s, jsonl, 'jsonl', select);
    expect(csv.products.some((product) => product.pages >= 2)).toBe(true);

    // As the simulator saw them: it refuses (429) a call made in parallel or over 2 a second, and counts its peaks.
    const stats = s.stats();
    expect(stats.rateLimited).toBe(0);
    expect(stats.peakInFlight).toBe(1);
    expect(stats.peakStartsPerSecond).toBeLessThanOrEqual(2);
    const calls = s.calls();
    expect(calls.length).toBeGreaterThan(10);
    for (const [index, call] of calls.entries()) {
      const previous = calls[index - 1];
      if (previous) expect(call.startedAt).toBeGreaterThanOrEqual(previous.endedAt ?? Infinity);
      expect(call.apiKeySent).toBe(true);
    }
  }, 120_000);

  it('a worker killed after a committed page, then a Redis wipe: every row in its file exactly once', async () => {
    // A worker killed while it held the fleet's DataStream slot keeps it for the call timeout and 5 s more.
    const { sim: s, harness: h } = await start(
      { ...small, latencyMs: 50 },
      { RECONCILE_INTERVAL_MS: '1000', DATASTREAM_CALL_TIMEOUT_MS: '3000' },
    );
    const orderId = await h.submit({ source: 'datastream', filter, format: 'jsonl' });
    const doomed = h.startWorker({ FAILPOINTS: 'after-page-before-next:2' }, 'worker-doomed');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    h.startWorker({}, 'worker-after');
    await waitFor(
      'a second round of pages to be committed',
      async () => {
        const view = await viewOf(h, orderId);
        const pages = view?.products.reduce((sum, product) => sum + product.pages, 0) ?? 0;
        return pages >= 4 && view?.status === 'running' ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(await deleteKeysWithPrefix(h.env['REDIS_URL'] ?? '', h.prefix)).toBeGreaterThan(0);
    const order = await finished(h, orderId);
    expect(order.status).toBe('completed');
    await expectPartitionsMatch(h, s, order, 'jsonl');
  }, 120_000);

  it('a 429 storm: Retry-After is honoured, a 429 without it backs off, and the pull completes', async () => {
    const { sim: s, harness: h } = await start({ ...small, locations: 2 });
    s.injectFault({
      resources: ['Observations'],
      nth: 2,
      times: 3,
      action: { kind: 'status', status: 429, retryAfter: 1 },
    });
    s.injectFault({ resources: ['Observations'], nth: 6, times: 2, action: { kind: 'status', status: 429 } });
    h.startWorker();
    const orderId = await h.submit({ source: 'datastream', filter, format: 'csv' });
    const order = await finished(h, orderId);
    expect(order.status).toBe('completed');
    await expectPartitionsMatch(h, s, order, 'csv');
    const calls = s.calls();
    const storm = calls.filter((call) => call.status === 429);
    expect(storm).toHaveLength(5);
    // Every worker waits out a 429: its Retry-After, or a second without one.
    for (const refused of storm) {
      const after = calls.find((call) => call.seq > refused.seq);
      expect((after?.startedAt ?? 0) - (refused.endedAt ?? 0)).toBeGreaterThanOrEqual(950);
    }
    expect(s.stats().peakInFlight).toBe(1);
  }, 90_000);

  it('a bad filter is refused by the API with 400 naming the part that is wrong, and nothing is stored', async () => {
    const { sim: s, harness: h } = await start();
    const api = await h.startApi();
    const answer = await fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'datastream', filter: "CharacteristicName eq 'pH' and Colour eq 'red'" }),
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { issues: Array<{ field: string; message: string }> };
    expect(body.issues).toEqual([
      { field: 'filter', message: expect.stringMatching(/unknown field 'Colour' at position 32/) as string },
    ]);
    const badSelect = await fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'datastream', select: ['Id', 'Colour'] }),
    });
    expect(badSelect.status).toBe(400);
    expect(((await badSelect.json()) as { issues: unknown[] }).issues).toEqual([
      { field: 'select.1', message: expect.stringMatching(/Observations has no field 'Colour'/) as string },
    ]);
    const list = (await (await fetch(`${api.url}/orders`)).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(s.calls()).toEqual([]);
  });

  it('a bad key fails the order at once with a clear message that never shows the key', async () => {
    const badKey = 'definitely-not-a-datastream-key-4711';
    const { sim: s, harness: h } = await start(small, { DATASTREAM_API_KEY: badKey });
    const worker = h.startWorker();
    const orderId = await h.submit({ source: 'datastream', filter });
    const order = await finished(h, orderId);
    expect(order.status).toBe('failed');
    expect(order.error).toMatch(/DataStream answered 403 \(the API key is not valid\): check DATASTREAM_API_KEY/);
    expect(order.products).toEqual([]);
    expect(s.calls().map((call) => [call.resource, call.status])).toEqual([['Locations', 403]]);
    await worker.kill();
    const log = await readFile(worker.logPath, 'utf8');
    expect(log).not.toContain(badKey);
    expect(await storedStateContains(h.database, badKey)).toBe(false);
    expect(JSON.stringify(order)).not.toContain(badKey);
  });

  it('a filter that lists more partitions than ORDER_MAX_PRODUCTS fails the order at once, saying how many', async () => {
    const { sim: s, harness: h } = await start(small, { ORDER_MAX_PRODUCTS: '2' });
    h.startWorker();
    const orderId = await h.submit({ source: 'datastream', filter });
    const order = await finished(h, orderId);
    expect(order.status).toBe('failed');
    expect(order.error).toMatch(/the order would make \d+ products, more than ORDER_MAX_PRODUCTS \(2\)/);
    expect(order.products).toEqual([]);
    // Only the partitions were listed: no partition was pulled.
    expect(s.calls().every((call) => call.resource === 'Locations')).toBe(true);
  });
});
