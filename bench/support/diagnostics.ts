/** Where the pipeline's time went: per-kind BullMQ job timings, and the workers' probe reports (worker-probe.ts). */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineQueues } from '@onc-orders/jobs';
import { fixed, printRows, quantile } from './format.js';
import type { ProbeReport, Tally } from './worker-probe.js';

export interface JobTiming {
  kind: string;
  count: number;
  waitP50: number;
  waitP95: number;
  runP50: number;
  runP95: number;
  runTotalMs: number;
  /** From the first job's start to the last one's end, in ms. */
  spanMs: number;
}

/**
 * For every completed job of the order still in Redis: how long it waited once due (processedOn − timestamp − delay) and how long
 * its last processing took (finishedOn − processedOn). A poll job that was re-delayed reports its last round only.
 */
export async function jobTimings(queues: PipelineQueues, orderId: string): Promise<JobTiming[]> {
  const jobs = (await Promise.all(queues.all().map((queue) => queue.getJobs(['completed'], 0, -1, true)))).flat();
  const byKind = new Map<string, { waits: number[]; runs: number[]; first: number; last: number }>();
  for (const job of jobs) {
    if (!job.processedOn || !job.finishedOn || job.data.orderId !== orderId) continue;
    const kind = job.data.kind;
    const entry = byKind.get(kind) ?? { waits: [], runs: [], first: Infinity, last: 0 };
    entry.waits.push(Math.max(0, job.processedOn - job.timestamp - (job.delay ?? 0)));
    entry.runs.push(job.finishedOn - job.processedOn);
    entry.first = Math.min(entry.first, job.processedOn);
    entry.last = Math.max(entry.last, job.finishedOn);
    byKind.set(kind, entry);
  }
  return [...byKind].map(([kind, { waits, runs, first, last }]) => {
    waits.sort((a, b) => a - b);
    runs.sort((a, b) => a - b);
    return {
      kind,
      count: runs.length,
      waitP50: quantile(waits, 0.5),
      waitP95: quantile(waits, 0.95),
      runP50: quantile(runs, 0.5),
      runP95: quantile(runs, 0.95),
      runTotalMs: runs.reduce((sum, ms) => sum + ms, 0),
      spanMs: last - first,
    };
  });
}

/** Waits (up to `timeoutMs`) for every probe to have written its report, and reads them. */
export async function readProbeReports(
  paths: readonly string[],
  timeoutMs: number,
): Promise<Array<ProbeReport | undefined>> {
  const deadline = Date.now() + timeoutMs;
  const read = (path: string) =>
    readFile(path, 'utf8').then(
      (text) => JSON.parse(text) as ProbeReport,
      () => undefined,
    );
  for (;;) {
    const reports = await Promise.all(paths.map(read));
    if (reports.every(Boolean) || Date.now() > deadline) return reports;
    await sleep(50);
  }
}

const describe = (t: Tally) =>
  `${t.count} × mean ${fixed(t.totalMs / t.count, 2)} ms = ${fixed(t.totalMs, 0)} ms (max ${fixed(t.maxMs, 1)} ms)`;

function top(tallies: Record<string, Tally>, n: number, by: (t: Tally) => number): Array<[string, Tally]> {
  return Object.entries(tallies)
    .sort((a, b) => by(b[1]) - by(a[1]))
    .slice(0, n);
}

/** `postgresRows`: how many statements to list; more when they are told apart by their whole text. */
export function printProbeReports(
  reports: ReadonlyArray<ProbeReport | undefined>,
  names: readonly string[],
  postgresRows = 12,
): void {
  reports.forEach((report, i) => {
    const name = names[i] ?? `worker-${i + 1}`;
    if (!report) {
      printRows(`probe ${name}`, [['report', 'missing']]);
      return;
    }
    const pct = (ms: number) => `${fixed((100 * ms) / report.wallMs, 0)}% of wall`;
    const sqliteTotal = Object.values(report.sqlite).reduce((sum, t) => sum + t.totalMs, 0);
    const sqliteCount = Object.values(report.sqlite).reduce((sum, t) => sum + t.count, 0);
    const begin = report.sqlite['BEGIN IMMEDIATE'];
    const postgresCount = Object.values(report.postgres).reduce((sum, t) => sum + t.count, 0);
    const redisCount = Object.values(report.redis).reduce((sum, t) => sum + t.count, 0);
    printRows(`probe ${name} (pid ${report.pid}), window ${fixed(report.wallMs / 1000, 2)} s`, [
      ['CPU', `${fixed(report.cpuMs, 0)} ms (${pct(report.cpuMs)})`],
      [
        'event loop utilisation',
        `${fixed(100 * report.eventLoopUtilization, 0)}% (busy or blocked, not waiting for I/O)`,
      ],
      [
        'event loop delay',
        `p50 ${fixed(report.eventLoopDelayMs.p50, 1)} ms, p99 ${fixed(report.eventLoopDelayMs.p99, 1)} ms, max ${fixed(report.eventLoopDelayMs.max, 1)} ms`,
      ],
      ...(postgresCount > 0
        ? [
            ['PostgreSQL round trips', `${postgresCount}`] as [string, string],
            ...top(report.postgres, postgresRows, (t) => t.count).map(([key, t]): [string, string] => [
              `  ${key}`,
              describe(t),
            ]),
          ]
        : []),
      ['SQLite statements (blocking)', `${sqliteCount} taking ${fixed(sqliteTotal, 0)} ms (${pct(sqliteTotal)})`],
      ['  BEGIN IMMEDIATE (write-lock wait)', begin ? describe(begin) : 'none'],
      [
        '  write lock held (BEGIN→COMMIT)',
        `${fixed(report.sqliteWriteLockHeldMs, 0)} ms (${pct(report.sqliteWriteLockHeldMs)})`,
      ],
      ...top(report.sqlite, 10, (t) => t.totalMs).map(([key, t]): [string, string] => [`  ${key}`, describe(t)]),
      ['Redis commands (round trip)', `${redisCount}`],
      ...top(report.redis, 10, (t) => t.count).map(([key, t]): [string, string] => [`  ${key}`, describe(t)]),
      ['fsync (FileHandle.sync)', report.fsync.count > 0 ? describe(report.fsync) : 'none'],
    ]);
  });
}
