import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

describe('what fails for good shows on the dashboard as a failed job', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('a product ONC rejects: its step job is failed with ONC’s code and message, never retried', async () => {
    harness = await startPipelineHarness();
    // Discovery unreachable: the check is skipped, so the mistake is found by ONC's own `request`.
    harness.sim.injectFault({
      methods: ['dataProducts'],
      times: 100,
      action: { kind: 'status', status: 503, body: { message: 'unavailable' } },
    });
    await harness.startWorkers();
    const orderId = await harness.submit({
      filters: { ...ctdAtBarkleyCanyon, deviceCategoryCode: ['CTD', 'NOSUCHCATEGORY'] },
    });
    const order = await harness.waitForOrder(orderId);
    expect(order.products.map((product) => product.status)).toEqual(['complete', 'failed']);

    const failed = await harness.queues.control.getJobs(['failed']);
    expect(failed).toHaveLength(1);
    const [job] = failed;
    expect(job?.name).toMatch(/^prepare: BACAX\/NOSUCHCATEGORY TSSD\.csv/);
    expect(job?.failedReason).toContain('127');
    expect(job?.failedReason).toContain('deviceCategoryCode');
    expect(job?.attemptsMade).toBe(1);
    // The rest ended as completed jobs, a download's with what it wrote.
    const downloads = await harness.queues.downloadsOf('onc').getJobs(['completed']);
    const written = downloads.map((download) => download.returnvalue as { sha256?: string } | null);
    expect(written.some((value) => typeof value?.sha256 === 'string')).toBe(true);
  });

  it('a file that stays gone with deleteFile off: its download job is failed with the reason', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { filesPerRun: 2 } }, config: { goneRetries: 1 } });
    harness.sim.injectFault({
      methods: ['download'],
      when: (call) => call.params['index'] === '2',
      times: 100,
      action: { kind: 'status', status: 410, body: { message: 'gone' } },
    });
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon, deleteFile: false }));
    expect(order.status).toBe('failed');

    const failed = await harness.queues.downloadsOf('onc').getJobs(['failed']);
    expect(failed.map((job) => job.name)).toEqual([expect.stringMatching(/ run 1 file 2$/)]);
    expect(failed[0]?.failedReason).toMatch(/gone \(410\)/);
  });
});
