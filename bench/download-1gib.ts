/**
 * One 1 GiB file through OncClient: request → run → status until complete → download index 1, the body streamed
 * through SHA-256 into a file on disk (then fsynced), with this process's RSS sampled every 50 ms. The simulator runs
 * as its own process (`onc-sim`), so its CPU and memory are not counted here.
 *
 *   node bench/dist/download-1gib.js [--size <bytes>] [--dev-null] [--dir <folder>] [--keep]
 *
 * Target: peak RSS < 150 MB (1 MB = 10^6 bytes) while the file streams.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { OncClient, type RunInfo } from '@onc-orders/onc-client';
import { ownCpuSeconds } from './support/child-process.js';
import { runBenchmark } from './support/cleanup.js';
import { MB, MiB, fixed, log, printRows, verdict } from './support/format.js';
import { startSimulatorProcess } from './support/simulator-process.js';

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: String(1024 * MiB) },
    'dev-null': { type: 'boolean', default: false },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const sizeBytes = Number(flags.size);
if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0)
  throw new Error(`--size must be a positive integer, got ${flags.size}`);
const rssTargetBytes = 150 * MB;
const sampleEveryMs = 50;

const filters = {
  dataProductCode: 'TSSD',
  extension: 'csv',
  locationCode: 'BACAX',
  deviceCategoryCode: 'CTD',
  dateFrom: '2016-01-01',
  dateTo: '2016-01-02',
};

/** Samples RSS on a timer; `stop` returns the highest value seen, what the heap held at that moment, and the count. */
function sampleRss(everyMs: number) {
  let peak = process.memoryUsage();
  let samples = 0;
  const sample = () => {
    const now = process.memoryUsage();
    samples += 1;
    if (now.rss > peak.rss) peak = now;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { peak, samples };
    },
  };
}

async function completedRun(client: OncClient, dpRequestId: number): Promise<RunInfo> {
  const ran = await client.run(dpRequestId);
  if (ran.kind !== 'ok' && ran.kind !== 'notReady') throw new Error(`run answered ${ran.kind}`);
  let runs = ran.value ?? [];
  while (!(runs.length > 0 && runs.every((run) => run.status === 'complete'))) {
    await sleep(100);
    const status = await client.status(dpRequestId);
    if (status.kind === 'ok') runs = status.value.runs;
    else if (status.kind !== 'notReady') throw new Error(`status answered ${status.kind}`);
  }
  const first = runs[0];
  if (!first) throw new Error('no run');
  return first;
}

await runBenchmark(async (cleanup) => {
  const work = await mkdtemp(join(flags.dir ?? tmpdir(), 'bench-download-'));
  cleanup.defer('remove temp dir', () =>
    flags.keep ? log(`kept ${work}`) : rm(work, { recursive: true, force: true }),
  );

  const sim = await startSimulatorProcess(
    ['--file-size', String(sizeBytes), '--files-per-run', '1', '--queued-ms', '0', '--running-ms', '0', '--quiet'],
    join(work, 'onc-sim.log'),
  );
  cleanup.defer('stop onc-sim', () => sim.stop());
  log(`onc-sim at ${sim.url} (pid ${sim.process.child.pid ?? '?'})`);

  const client = new OncClient({ token: 'bench-token', baseUrl: sim.url });
  cleanup.defer('close client', () => client.close());

  const requested = await client.request(filters);
  if (requested.kind !== 'ok') throw new Error(`request answered ${requested.kind}`);
  const run = await completedRun(client, requested.value.dpRequestId);

  const target = flags['dev-null'] ? '/dev/null' : join(work, 'file-1.csv');
  const rssBefore = process.memoryUsage.rss();
  const sampler = sampleRss(sampleEveryMs);
  const cpuBefore = ownCpuSeconds();
  const simCpuBefore = sim.process.cpuSeconds();
  const started = performance.now();

  const answer = await client.download({ dpRunId: run.dpRunId, index: 1, deleteFile: false });
  if (answer.kind !== 'ok') throw new Error(`download answered ${answer.kind}`);
  const hash = createHash('sha256');
  let received = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      received += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(answer.value.body, hashing, createWriteStream(target));
  const streamed = performance.now();
  if (target !== '/dev/null') {
    const handle = await open(target, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  const synced = performance.now();
  const cpuUsed = ownCpuSeconds() - cpuBefore;
  const simCpuAfter = sim.process.cpuSeconds();
  const rss = sampler.stop();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const sha256 = hash.digest('hex');

  log('asking onc-sim for the expected SHA-256 (it hashes the file itself)…');
  const expected = (await sim.expectedFiles(filters)).find((file) => file.run === 0 && file.index === 1);
  if (!expected) throw new Error('onc-sim lists no file 1 for run 0');
  const verified = expected.sha256 === sha256 && expected.sizeBytes === received;

  const streamSeconds = (streamed - started) / 1000;
  const totalSeconds = (synced - started) / 1000;
  const peakRss = Math.max(rss.peak.rss, maxRssBytes);
  printRows(`download-1gib (${new Date().toISOString()})`, [
    ['written to', target === '/dev/null' ? '/dev/null' : `a file in ${work} (fsynced)`],
    ['bytes', `${received} (${fixed(received / MiB, 0)} MiB)`],
    ['seconds (to last byte written)', fixed(streamSeconds, 2)],
    ['seconds (incl. fsync)', fixed(totalSeconds, 2)],
    ['MB/s (to last byte written)', fixed(received / MB / streamSeconds, 1)],
    ['MB/s (incl. fsync)', fixed(received / MB / totalSeconds, 1)],
    ['RSS before download', `${fixed(rssBefore / MB, 1)} MB`],
    [`peak RSS (${rss.samples} samples every ${sampleEveryMs} ms)`, `${fixed(rss.peak.rss / MB, 1)} MB`],
    [
      '  of which (at that sample)',
      `V8 heap ${fixed(rss.peak.heapTotal / MB, 1)} MB (used ${fixed(rss.peak.heapUsed / MB, 1)}), ` +
        `external ${fixed(rss.peak.external / MB, 1)} MB (ArrayBuffers ${fixed(rss.peak.arrayBuffers / MB, 1)})`,
    ],
    ['maxRSS (resourceUsage, whole life)', `${fixed(maxRssBytes / MB, 1)} MB`],
    ['bench CPU during download', `${fixed(cpuUsed, 2)} s`],
    [
      'onc-sim CPU during download',
      simCpuBefore === undefined || simCpuAfter === undefined ? 'n/a' : `${fixed(simCpuAfter - simCpuBefore, 2)} s`,
    ],
    [
      'sha256',
      `${sha256.slice(0, 16)}… ${verified ? 'matches onc-sim' : `MISMATCH (expected ${expected.sha256.slice(0, 16)}…, ${expected.sizeBytes} bytes)`}`,
    ],
    ['target: peak RSS < 150 MB', verdict(peakRss < rssTargetBytes)],
  ]);
  if (!verified) throw new Error('the downloaded file does not match what onc-sim served');
});
