import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getOrderEvents, reconcile } from '@onc-orders/jobs';
import { OncClient } from '@onc-orders/onc-client';
import { sha256OfFile } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/upgrade-from-0.1/', import.meta.url));

interface FixtureCalls {
  orderId: string;
  calls: Array<{ method: 'request' | 'run'; params: Record<string, string> }>;
}

describe('a database made by the release before the source port, with an order in flight', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('upgrades in place and finishes the order with no second request, run or download', async () => {
    const recorded = JSON.parse(await readFile(join(fixture, 'onc-calls.json'), 'utf8')) as FixtureCalls;
    const { orderId } = recorded;
    harness = await startPipelineHarness({
      // The simulator the fixture was made against: the same first ids, sizes and timings.
      sim: {
        firstRequestId: 5_000_001,
        firstRunId: 50_000_001,
        behaviour: { filesPerRun: 2, fileSizeBytes: 2048, runningMs: 30, queuedMs: 0 },
        behaviourFor: (filters) =>
          filters['dateFrom'] === '2016-07-22T00:00:00.000Z' ? { runningMs: 1_000 } : undefined,
      },
      prepare: async ({ databasePath, downloadDir }) => {
        await cp(join(fixture, 'state.sqlite'), databasePath);
        await cp(join(fixture, 'downloads'), downloadDir, { recursive: true });
      },
    });
    const { sim } = harness;

    // The same requests and runs as before the upgrade, so this simulator knows the ids the database holds.
    const client = new OncClient({ token: sim.token, baseUrl: sim.url });
    const ids: number[] = [];
    for (const call of recorded.calls) {
      if (call.method === 'request') {
        const { token: _token, ...filters } = call.params;
        const answer = await client.request(filters);
        if (answer.kind === 'ok') ids.push(answer.value.dpRequestId);
      } else {
        const answer = await client.run(Number(call.params['dpRequestId']));
        if (answer.kind === 'ok' || answer.kind === 'notReady')
          ids.push(...(answer.value ?? []).map((run) => run.dpRunId));
      }
    }
    await client.close();
    expect(ids).toEqual([5_000_001, 50_000_001, 5_000_002, 50_000_002, 5_000_003, 50_000_003, 5_000_004]);
    sim.clearCalls();

    // What the old database says, read through the new views: the ONC fields kept their meaning.
    const before = await harness.view(orderId);
    expect(before?.status).toBe('running');
    expect(before?.products.map((product) => [product.status, product.dpRequestId])).toEqual([
      ['downloading', 5_000_001],
      ['downloading', 5_000_002],
      ['running', 5_000_003],
      ['requested', 5_000_004],
      ['pending', null],
    ]);
    // Counted by the statuses ONC's users know, as before the upgrade.
    expect(before?.progress.products).toEqual({ downloading: 2, running: 1, requested: 1, pending: 1 });
    const onDiskBefore = before?.products.flatMap((product) => product.files).filter((f) => f.status === 'complete');
    expect(onDiskBefore?.map((file) => `${file.dpRunId}/${file.index}`)).toEqual([
      '50000001/1',
      '50000001/meta',
      '50000002/1',
    ]);

    // A worker starts as after an upgrade: it reconciles the queues from the database, then works.
    await harness.startWorkers();
    await reconcile(harness.ctx);
    const order = await harness.waitForOrder(orderId);
    expect(order.status).toBe('completed');

    const calls = sim.calls();
    const requests = calls.filter((call) => call.method === 'request');
    expect(requests.map((call) => call.params['dateFrom'])).toEqual(['2016-07-24T00:00:00.000Z']);
    const runs = calls.filter((call) => call.method === 'run').map((call) => call.params['dpRequestId']);
    expect(runs.sort()).toEqual(['5000004', '5000005']);
    const fetched = calls.filter((call) => call.method === 'download' && call.status === 200 && call.completed);
    const fetchedKeys = fetched.map((call) => `${call.params['dpRunId']}/${call.params['index']}`);
    for (const already of onDiskBefore ?? []) expect(fetchedKeys).not.toContain(`${already.dpRunId}/${already.index}`);
    expect(new Set(fetchedKeys).size).toBe(fetchedKeys.length);

    for (const file of order.products.flatMap((product) => product.files).filter((f) => f.status === 'complete')) {
      expect(await sha256OfFile(join(harness.downloadDir, file.path ?? ''))).toBe(
        sim.fileSha256(file.dpRunId ?? 0, file.index === 'meta' ? 'meta' : Number(file.index)),
      );
    }
    // 5 products × (2 files + metadata), every one on disk.
    expect(order.progress.filesComplete).toBe(15);
    expect(
      (await getOrderEvents(harness.database.db, orderId)).filter((event) => event.kind === 'request-lost'),
    ).toEqual([]);
  });
});
