import { ctdAtBarkleyCanyon, waitFor } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

const oneFile = { filters: ctdAtBarkleyCanyon, includeMetadataFile: false };

describe('a worker stopped with SIGTERM', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function downloadInFlight(h: SystemHarness): Promise<void> {
    await waitFor(
      'a download in flight',
      async () => (((await h.queues.downloadsOf('onc').getJobCounts('active'))['active'] ?? 0) > 0 ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    );
  }

  it('lets an in-flight download finish within the deadline, then exits cleanly', async () => {
    // 3 MiB at 2 MiB/s: about 1.5 s, well inside a 10 s deadline.
    harness = await startSystemHarness({
      sim: { behaviour: { filesPerRun: 1, fileSizeBytes: 3 * 1024 * 1024, bandwidthBytesPerSec: 2 * 1024 * 1024 } },
      env: { SHUTDOWN_DEADLINE_MS: '10000' },
    });
    const worker = harness.startWorker();
    const orderId = await harness.submit(oneFile);
    await downloadInFlight(harness);
    const exit = await worker.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    const file = (await harness.view(orderId))?.products[0]?.files.find((f) => f.index === '1');
    expect(file?.status).toBe('complete');
    const fetches = harness.sim.calls().filter((call) => call.method === 'download' && call.params['index'] === '1');
    expect(fetches).toHaveLength(1);
  });

  it('past the deadline, hands the download back so another worker takes it at once', async () => {
    // 8 MiB at 1 MiB/s: about 8 s, far past a 1 s deadline.
    harness = await startSystemHarness({
      sim: { behaviour: { filesPerRun: 1, fileSizeBytes: 8 * 1024 * 1024, bandwidthBytesPerSec: 1024 * 1024 } },
      env: { SHUTDOWN_DEADLINE_MS: '1000' },
    });
    const first = harness.startWorker({}, 'worker-first');
    const orderId = await harness.submit(oneFile);
    await downloadInFlight(harness);
    harness.startWorker({}, 'worker-second');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stoppedAt = Date.now();
    const exit = await first.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    // Taken over well before the 8 s lock of a dead worker would have expired.
    const takeover = await waitFor(
      'the other worker to fetch the file',
      () =>
        harness?.sim
          .calls()
          .filter((call) => call.method === 'download' && call.params['index'] === '1' && call.at >= stoppedAt)[0],
      { timeoutMs: 6_000 },
    );
    expect(takeover.at - stoppedAt).toBeLessThan(4_000);
    const order = await harness.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    expect(order.products[0]?.files.find((f) => f.index === '1')?.status).toBe('complete');
  }, 60_000);
});
