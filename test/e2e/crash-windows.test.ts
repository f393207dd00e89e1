import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getOrderEvents } from '@onc-orders/jobs';
import { ctdAtBarkleyCanyon, sha256OfFile } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

/**
 * Kills a worker (SIGKILL, through a failpoint) in one crash window, starts a fresh one, and checks the order still
 * ends with every file verified on disk, no temporary file left, and no ONC work ordered twice.
 */
async function crashAndRecover(harness: SystemHarness, failpoint: string, spec: Record<string, unknown> = {}) {
  const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, ...spec });
  const doomed = harness.startWorker({ FAILPOINTS: failpoint }, `worker-${failpoint}`);
  const death = await Promise.race([
    doomed.exited,
    new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), 30_000)),
  ]);
  expect(death, `worker should die at ${failpoint} (log: ${doomed.logPath})`).toEqual({
    code: null,
    signal: 'SIGKILL',
  });
  harness.startWorker({}, 'worker-after');
  const order = await harness.waitForOrder(orderId);
  expect(order.status, JSON.stringify(order.products[0])).toBe('completed');
  const product = order.products[0];
  for (const file of product?.files.filter((f) => f.status === 'complete') ?? []) {
    expect(await sha256OfFile(join(harness.downloadDir, file.path ?? '')), JSON.stringify(file)).toBe(
      harness.sim.fileSha256(file.dpRunId ?? 0, file.index === 'meta' ? 'meta' : Number(file.index)),
    );
  }
  const left = await readdir(join(harness.downloadDir, orderId));
  expect(left.filter((name) => name.endsWith('.part'))).toEqual([]);
  const calls = harness.sim.calls();
  return { order, calls };
}

function fullDownloadsPerFile(calls: ReturnType<SystemHarness['sim']['calls']>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    if (call.method !== 'download' || call.status !== 200 || !call.completed) continue;
    const key = `${call.params['dpRunId']}/${call.params['index']}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('a worker killed at each crash window', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('after the dpRequestId was saved: never a second request', async () => {
    harness = await startSystemHarness();
    const { order, calls } = await crashAndRecover(harness, 'after-request-saved');
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(1);
    expect(order.products[0]).toMatchObject({ requestsSent: 1, requestsLost: 0 });
  });

  it('after request was sent, before its answer was saved: asks again, and records the request that may be lost', async () => {
    // ONC has no idempotency key, so this window cannot be closed; it must not be silent either.
    harness = await startSystemHarness();
    const { order, calls } = await crashAndRecover(harness, 'after-request-before-save');
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(2);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(1);
    expect(order.products[0]).toMatchObject({ requestsSent: 2, requestsLost: 1 });
    const lost = (await getOrderEvents(harness.database.db, order.id)).filter((event) => event.kind === 'request-lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toMatch(/a request may have been made and lost/);
  });

  it('between run answering and the runs being saved: recovers them through status, never a second run', async () => {
    harness = await startSystemHarness({ sim: { behaviour: { runningMs: 300 } } });
    const { calls } = await crashAndRecover(harness, 'after-run-before-save');
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'run')).toHaveLength(1);
    expect(calls.filter((call) => call.method === 'status').length).toBeGreaterThan(0);
  });

  it('in the middle of a file: resumes it with a Range request, never leaves it half-written under its name', async () => {
    harness = await startSystemHarness({
      sim: { behaviour: { filesPerRun: 1, fileSizeBytes: 48 * 1024 * 1024, metadataFile: false } },
    });
    const { calls } = await crashAndRecover(harness, 'download-mid-body');
    const downloads = calls.filter((call) => call.method === 'download' && call.params['index'] === '1');
    expect(downloads.some((call) => !call.completed)).toBe(true);
    // The second attempt asked only for the missing bytes and got them (206).
    expect(downloads.filter((call) => call.status === 206 && call.completed)).toHaveLength(1);
    for (const count of fullDownloadsPerFile(calls).values()) expect(count).toBe(1);
  });

  it('in the middle of a file, from a server that ignores Range: fetches the whole file again', async () => {
    harness = await startSystemHarness({
      sim: { behaviour: { filesPerRun: 1, fileSizeBytes: 48 * 1024 * 1024, metadataFile: false, rangeSupport: false } },
    });
    const { calls } = await crashAndRecover(harness, 'download-mid-body');
    const downloads = calls.filter((call) => call.method === 'download' && call.params['index'] === '1');
    expect(downloads.some((call) => !call.completed)).toBe(true);
    expect(downloads.filter((call) => call.status === 206)).toHaveLength(0);
    expect(downloads.filter((call) => call.status === 200 && call.completed)).toHaveLength(1);
  });

  it('after the file was verified, before the rename: finishes from the verified copy without fetching again', async () => {
    // One file in flight at the moment of the kill: another file that ONC had finished sending would be gone (deleted
    // after download) and need a re-order, which the deleteFile tests cover.
    harness = await startSystemHarness({ sim: { behaviour: { filesPerRun: 1, metadataFile: false } } });
    const { calls } = await crashAndRecover(harness, 'after-download-before-rename');
    for (const count of fullDownloadsPerFile(calls).values()) expect(count).toBe(1);
    expect(calls.filter((call) => call.method === 'download' && call.status === 410)).toHaveLength(0);
  });

  it('after the rename, before it was recorded: recognises the file on disk, never fetches it again', async () => {
    harness = await startSystemHarness({ sim: { behaviour: { filesPerRun: 1, metadataFile: false } } });
    const { calls } = await crashAndRecover(harness, 'after-rename-before-record');
    for (const count of fullDownloadsPerFile(calls).values()) expect(count).toBe(1);
    expect(calls.filter((call) => call.method === 'download' && call.status === 410)).toHaveLength(0);
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(1);
  });
});
