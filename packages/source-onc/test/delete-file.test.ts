import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { getOrderEvents } from '@onc-orders/jobs';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

/** Every download of data file 2 answers 410 for the first `times` calls, whatever run it is asked of. */
function goneForFileTwo(harness: PipelineHarness, times: number) {
  harness.sim.injectFault({
    methods: ['download'],
    when: (call) => call.params['index'] === '2',
    times,
    action: { kind: 'status', status: 410, body: { message: 'gone' } },
  });
}

describe('files gone from ONC (410) and deleteFile', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('retries a few 410s (the file may not be on the FTP server yet) and then gets the file', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 2 } }, config: { goneRetries: 3 } });
    goneForFileTwo(harness, 2);
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon }));
    expect(order.status).toBe('completed');
    expect(order.products[0]?.reorders).toBe(0);
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(1);
  });

  it('re-orders the product when the file stays gone with deleteFile on, and fetches only the missing file', async () => {
    harness = await startPipelineHarness({
      sim: { behaviour: { filesPerRun: 2 } },
      config: { goneRetries: 2, maxReorders: 2 },
    });
    goneForFileTwo(harness, 3);
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon }));
    expect(order.status).toBe('completed');
    const product = order.products[0];
    expect(product?.reorders).toBe(1);
    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(2);
    const fetched = calls.filter((call) => call.method === 'download' && call.status === 200);
    // File 1 and the metadata file came from the first run and were not fetched again; file 2 from the second.
    expect(fetched.filter((call) => call.params['index'] === '1')).toHaveLength(1);
    expect(fetched.filter((call) => call.params['index'] === 'meta')).toHaveLength(1);
    expect(fetched.filter((call) => call.params['index'] === '2')).toHaveLength(1);
    const fileTwo = product?.files.find((file) => file.index === '2');
    const fileOne = product?.files.find((file) => file.index === '1');
    expect(fileTwo?.dpRunId).not.toBe(fileOne?.dpRunId);
    expect(fileTwo?.sha256).toBe(harness.sim.fileSha256(fileTwo?.dpRunId ?? 0, 2));
    const events = await getOrderEvents(harness.database.db, order.id);
    expect(events.filter((event) => event.kind === 'reorder')).toHaveLength(1);
  });

  it('fails the product after the allowed re-orders, recording each', async () => {
    harness = await startPipelineHarness({
      sim: { behaviour: { filesPerRun: 2 } },
      config: { goneRetries: 0, maxReorders: 1 },
    });
    goneForFileTwo(harness, 100);
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon }));
    expect(order.status).toBe('failed');
    expect(order.products[0]?.status).toBe('failed');
    expect(order.products[0]?.error?.message).toMatch(/gone/);
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(2);
    const events = await getOrderEvents(harness.database.db, order.id);
    expect(events.filter((event) => event.kind === 'reorder')).toHaveLength(1);
  });

  it('never re-orders with deleteFile off: the file fails, the others are kept', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 2 } }, config: { goneRetries: 1 } });
    goneForFileTwo(harness, 100);
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon, deleteFile: false }));
    expect(order.status).toBe('failed');
    const files = order.products[0]?.files ?? [];
    expect(files.find((file) => file.index === '2')?.status).toBe('failed');
    expect(files.find((file) => file.index === '1')?.status).toBe('complete');
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(1);
  });
});
