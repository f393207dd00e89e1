import { ctdAtBarkleyCanyon, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue, jobIdFor } from '@onc-orders/jobs';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

describe('jobs as an operator sees them on the dashboard', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('names each download after its product and file, shows the file and its path while it runs, ends its bar at 100%, and returns what it wrote', async () => {
    // 256 KiB at 96 KiB/s: each data file takes well over the 500 ms between progress reports.
    harness = await startPipelineHarness({
      sim: { behaviour: { filesPerRun: 1, fileSizeBytes: 256 * 1024, bandwidthBytesPerSec: 96 * 1024 } },
    });
    await harness.startWorkers();
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, includeMetadataFile: false, label: 'slow' });
    const downloads = harness.queues.downloadsOf('onc');

    // While the file arrives, its job's progress in Redis (what Bull Board shows) names it and where it goes.
    const running = await waitFor(
      'a running download to report its progress',
      async () => {
        for (const { progress } of await downloads.getJobs(['active'])) {
          if (typeof progress === 'object' && progress !== null && 'bytes' in progress) return progress;
        }
        return undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const order = await harness.waitForOrder(orderId, undefined, 30_000);
    expect(order.status).toBe('completed');

    // The run's file count is not known in advance, so a probe for file 2 (answered 404) ran as well.
    const jobs = await downloads.getJobs(['completed'], 0, -1);
    const job = jobs.find((candidate) => candidate.name.endsWith(' file 1'));
    expect(job?.name).toMatch(
      /^download: BACAX\/CTD TSSD\.csv 2016-07-25\.\.2016-07-26 \[order [0-9a-f]{8} #0\] run 1 file 1$/,
    );
    const file = order.products[0]?.files.find((candidate) => candidate.index === '1');
    const path = file?.path ?? 'the file has no path';
    const name = path.slice(path.lastIndexOf('/') + 1);
    expect(path).toMatch(new RegExp(`^${orderId}/.+\\.csv$`));
    expect(running).toMatchObject({ file: name, path, total: 256 * 1024 });
    const { bytes, progress } = running as { bytes: number; progress: number };
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(256 * 1024);
    expect(progress).toBe(Math.floor((bytes / (256 * 1024)) * 100));
    // Complete once the file was: the bar at 100%, still naming the file.
    expect(job?.progress).toEqual({ progress: 100, file: name, path, bytes: 256 * 1024, total: 256 * 1024 });
    const written = job?.returnvalue as { path?: string; size?: number; sha256?: string } | undefined;
    expect(written).toEqual({ path: file?.path, size: 256 * 1024, sha256: file?.sha256 });
  });

  it('never duplicates a job that is enqueued twice', async () => {
    harness = await startPipelineHarness();
    const options = { title: 'order x', orderId: 'x', generation: 0 };
    await enqueue(harness.queues, 'finalize', { orderId: 'x' }, options);
    await enqueue(harness.queues, 'finalize', { orderId: 'x' }, options);
    expect(await harness.queues.control.getJobCounts('waiting', 'prioritized', 'delayed')).toEqual({
      waiting: 1,
      prioritized: 0,
      delayed: 0,
    });
    expect((await harness.queues.control.getJob(jobIdFor('finalize', { orderId: 'x' }, 0)))?.data.kind).toBe(
      'finalize',
    );
  });
});
