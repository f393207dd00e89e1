import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getOrderEvents } from '@onc-orders/jobs';
import { mulberry32 } from '@onc-orders/onc-sim';
import { deleteKeysWithPrefix, sha256OfFile } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/processes.js';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

/** CHAOS_SEED replays a run: the simulator's faults and the kill schedule both come from it. */
const seed = Number(process.env['CHAOS_SEED'] ?? 20261121);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`chaos (seed ${seed})`, () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('every file arrives once and intact through faults, kill -9s, two workers and a Redis wipe', async () => {
    const random = mulberry32(seed);
    harness = await startSystemHarness({
      sim: {
        behaviour: {
          filesPerRun: 2,
          fileSizeBytes: 3 * 1024 * 1024,
          runningMs: 1_500,
          bandwidthBytesPerSec: 6 * 1024 * 1024,
        },
        chaos: { seed, http500: 0.05, http503: 0.05, resetMidBody: 0.08, notReadyAfterComplete: 0.1 },
      },
      env: { RETRY_BASE_MS: '100', ONC_MAX_DOWNLOADS: '4', RECONCILE_INTERVAL_MS: '1500', MAX_ATTEMPTS: '12' },
    });
    const h = harness;
    const workers: AppProcess[] = [h.startWorker({}, 'worker-0'), h.startWorker({}, 'worker-1')];
    const orderId = await h.submit({
      filters: {
        dataProductCode: 'TSSD',
        extension: 'csv',
        locationCode: 'BACAX',
        deviceCategoryCode: 'CTD',
        dateFrom: '2016-03-01',
        dateTo: '2016-03-25',
      },
      split: 'P1D',
      label: `chaos ${seed}`,
    });
    const productCount = (await h.view(orderId))?.products.length ?? 0;
    expect(productCount).toBe(24);

    // Five kill -9s at seeded moments, each followed by a fresh worker in the dead one's place; the Redis wipe after
    // the second kill.
    const schedule = Array.from({ length: 5 }, () => ({
      afterMs: 1_000 + Math.floor(random() * 1_500),
      victim: random() < 0.5 ? 0 : 1,
    }));
    let kills = 0;
    for (const [step, { afterMs, victim }] of schedule.entries()) {
      await sleep(afterMs);
      const status = (await h.view(orderId))?.status;
      if (status === 'completed' || status === 'failed' || status === 'cancelled') break;
      const dead = await workers[victim]?.kill('SIGKILL');
      expect(dead?.signal).toBe('SIGKILL');
      kills += 1;
      workers[victim] = h.startWorker({}, `worker-${victim}-after-kill-${step + 1}`);
      if (step === 1) await deleteKeysWithPrefix(h.env['REDIS_URL'] ?? '', h.prefix);
    }
    expect(kills).toBe(5);

    const order = await h.waitForOrder(orderId, ['completed', 'failed', 'cancelled'], 150_000);
    expect(order.status, JSON.stringify(order.progress)).toBe('completed');

    const calls = h.sim.calls();
    const events = await getOrderEvents(h.database.db, orderId);
    const completedAt = new Map(
      events
        .filter((event) => event.entity === 'file' && event.to === 'complete')
        .map((event) => [event.entityId, Date.parse(event.at)]),
    );
    let files = 0;
    for (const product of order.products) {
      expect(product.status).toBe('complete');
      for (const file of product.files.filter((f) => f.status === 'complete')) {
        files += 1;
        const index = file.index === 'meta' ? 'meta' : Number(file.index);
        const expected = h.sim.fileSha256(file.dpRunId ?? 0, index);
        expect(file.sha256).toBe(expected);
        expect(await sha256OfFile(join(h.downloadDir, file.path ?? ''))).toBe(expected);
      }
      // Every data file and the metadata file of every run.
      expect(product.files.filter((f) => f.status === 'complete')).toHaveLength(3 * product.runs.length);
    }
    expect(files).toBe(productCount * 3);
    const left = await readdir(join(h.downloadDir, orderId));
    expect(left.filter((name) => name.endsWith('.part'))).toEqual([]);

    const reorders = events.filter((event) => event.kind === 'reorder').length;
    // A kill between a request's intent and the saving of ONC's answer leaves a request that may be lost: the
    // product asks again and says so (ONC's request takes no idempotency key; crash-windows.test.ts pins the window
    // down). "May": a kill in the moment between the intent's commit and the request leaving records one never
    // sent. Every other request is one per product and re-order, and none goes unrecorded.
    const lostRequests = events.filter((event) => event.kind === 'request-lost').length;
    const requests = calls.filter((call) => call.method === 'request' && call.status === 200).length;
    expect(requests).toBeGreaterThanOrEqual(productCount + reorders);
    expect(requests).toBeLessThanOrEqual(productCount + reorders + lostRequests);

    // No file was asked of ONC again once it was complete.
    for (const product of order.products) {
      for (const file of product.files.filter((f) => f.status === 'complete')) {
        const doneAt = completedAt.get(String(file.id));
        expect(doneAt, `completion of file ${file.id}`).toBeDefined();
        const later = calls.filter(
          (call) =>
            call.method === 'download' &&
            call.params['dpRunId'] === String(file.dpRunId) &&
            call.params['index'] === file.index &&
            call.at > (doneAt ?? 0),
        );
        expect(later, `file ${file.id} fetched after it was complete`).toEqual([]);
      }
    }
    const fullSends = new Map<string, number>();
    for (const call of calls) {
      if (call.method !== 'download' || call.status !== 200 || !call.completed) continue;
      const key = `${call.params['dpRunId']}/${call.params['index']}`;
      fullSends.set(key, (fullSends.get(key) ?? 0) + 1);
    }
    for (const [key, count] of fullSends) expect(count, key).toBe(1);
  }, 180_000);
});
