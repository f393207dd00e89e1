/**
 * A preload for worker processes (`node --import <this file> apps/worker/dist/main.js`) that measures, without
 * touching packages/jobs, where a worker's wall time goes:
 *   - SQLite: wall time of every better-sqlite3 statement, by statement (BEGIN IMMEDIATE shows the wait for the
 *     write lock, which blocks the event loop; COMMIT shows the commit), and how long the write lock was held;
 *   - PostgreSQL: round trips through node-postgres (each statement, BEGIN and COMMIT is one) and their wall time,
 *     by statement (its verb and table, or its whole text when BENCH_PROBE_SQL=full);
 *   - Redis: commands sent through ioredis and their round-trip times, by command;
 *   - fsync: FileHandle.sync calls and their duration;
 *   - the event loop: utilisation (busy share of wall time, counting blocking waits) and delay percentiles.
 * The first SIGUSR2 starts the measured window (everything before is forgotten); the second writes the JSON report to
 * $BENCH_PROBE_OUT (as does the process's exit, if no report was written yet). Inert when that variable is unset.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { repoRoot } from './child-process.js';

export interface Tally {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface ProbeReport {
  pid: number;
  wallMs: number;
  cpuMs: number;
  eventLoopUtilization: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  sqlite: Record<string, Tally>;
  sqliteWriteLockHeldMs: number;
  postgres: Record<string, Tally>;
  redis: Record<string, Tally>;
  fsync: Tally;
}

const outPath = process.env['BENCH_PROBE_OUT'];

function add(map: Map<string, Tally>, key: string, ms: number): void {
  const tally = map.get(key) ?? { count: 0, totalMs: 0, maxMs: 0 };
  tally.count += 1;
  tally.totalMs += ms;
  tally.maxMs = Math.max(tally.maxMs, ms);
  map.set(key, tally);
}

/** A statement's identity for the report: its first words and table, literals dropped. */
function statementKey(source: string): string {
  const text = source.replace(/\s+/g, ' ').trim();
  if (process.env['BENCH_PROBE_SQL'] === 'full') return text.slice(0, 220);
  const table = /\b(?:from|into|update)\s+["`]?(\w+)/i.exec(text)?.[1];
  const verb = text
    .split(' ')
    .slice(0, text.toUpperCase().startsWith('BEGIN') ? 2 : 1)
    .join(' ')
    .toUpperCase();
  return table ? `${verb} ${table}` : verb;
}

async function install(): Promise<void> {
  if (!outPath) return;
  let started = performance.now();
  let cpuStart = process.cpuUsage();
  let eluStart = performance.eventLoopUtilization();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();

  const sqlite = new Map<string, Tally>();
  const postgres = new Map<string, Tally>();
  const redis = new Map<string, Tally>();
  const fsync = new Map<string, Tally>();
  let lockTakenAt: number | undefined;
  let lockHeldMs = 0;
  const startWindow = () => {
    started = performance.now();
    cpuStart = process.cpuUsage();
    eluStart = performance.eventLoopUtilization();
    delay.reset();
    sqlite.clear();
    postgres.clear();
    redis.clear();
    fsync.clear();
    lockHeldMs = 0;
  };

  // The same module instances the worker loads: resolved from packages/jobs, where they are its dependencies.
  const requireFromJobs = createRequire(join(repoRoot, 'packages', 'jobs', 'package.json'));

  type StatementLike = { source: string };
  type Method = (this: StatementLike, ...args: unknown[]) => unknown;
  const Database = requireFromJobs('better-sqlite3') as new (path: string) => {
    prepare(sql: string): object;
    close(): void;
  };
  const scratch = new Database(':memory:');
  const statementPrototype = Object.getPrototypeOf(scratch.prepare('SELECT 1')) as Record<string, Method>;
  scratch.close();
  for (const name of ['run', 'get', 'all'] as const) {
    const original = statementPrototype[name];
    if (!original) continue;
    statementPrototype[name] = function timed(this: StatementLike, ...args: unknown[]) {
      const begin = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const end = performance.now();
        const key = statementKey(this.source);
        add(sqlite, key, end - begin);
        if (key === 'BEGIN IMMEDIATE') lockTakenAt = end;
        else if ((key === 'COMMIT' || key === 'ROLLBACK') && lockTakenAt !== undefined) {
          lockHeldMs += end - lockTakenAt;
          lockTakenAt = undefined;
        }
      }
    };
  }

  type QueryConfig = string | { text?: string } | undefined;
  type Query = (this: unknown, config: QueryConfig, ...rest: unknown[]) => unknown;
  const pg = requireFromJobs('pg') as { Client: { prototype: { query: Query } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function timed(this: unknown, config: QueryConfig, ...rest: unknown[]) {
    const begin = performance.now();
    const text = typeof config === 'string' ? config : (config?.text ?? '');
    const tally = () => add(postgres, statementKey(text), performance.now() - begin);
    // The pool's queries pass a callback (the last argument); the rest return a promise.
    const callback = rest.at(-1);
    if (typeof callback === 'function')
      rest[rest.length - 1] = (...results: unknown[]) => {
        tally();
        return (callback as (...args: unknown[]) => unknown)(...results);
      };
    const answer = query.call(this, config, ...rest);
    if (answer instanceof Promise) answer.then(tally, tally);
    return answer;
  };

  type Command = { name: string; promise: Promise<unknown> };
  const ioredis = requireFromJobs('ioredis') as { Redis: { prototype: Record<string, unknown> } };
  const redisPrototype = ioredis.Redis.prototype as {
    sendCommand: (this: unknown, command: Command, ...rest: unknown[]) => unknown;
  };
  const sendCommand = redisPrototype.sendCommand;
  redisPrototype.sendCommand = function timed(this: unknown, command: Command, ...rest: unknown[]) {
    const begin = performance.now();
    const name = String(command.name).toLowerCase();
    command.promise.then(
      () => add(redis, name, performance.now() - begin),
      () => add(redis, name, performance.now() - begin),
    );
    return sendCommand.call(this, command, ...rest);
  };

  const handle = await open('/dev/null', 'r');
  const fileHandlePrototype = Object.getPrototypeOf(handle) as { sync: (this: unknown) => Promise<void> };
  await handle.close();
  const sync = fileHandlePrototype.sync;
  fileHandlePrototype.sync = async function timed(this: unknown) {
    const begin = performance.now();
    try {
      return await sync.call(this);
    } finally {
      add(fsync, 'sync', performance.now() - begin);
    }
  };

  let written = false;
  const writeReport = () => {
    if (written) return;
    written = true;
    delay.disable();
    const cpu = process.cpuUsage(cpuStart);
    const report: ProbeReport = {
      pid: process.pid,
      wallMs: performance.now() - started,
      cpuMs: (cpu.user + cpu.system) / 1000,
      eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
      eventLoopDelayMs: {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
      },
      sqlite: Object.fromEntries(sqlite),
      sqliteWriteLockHeldMs: lockHeldMs,
      postgres: Object.fromEntries(postgres),
      redis: Object.fromEntries(redis),
      fsync: fsync.get('sync') ?? { count: 0, totalMs: 0, maxMs: 0 },
    };
    // Written whole, then renamed: the bench reads the report as soon as the name appears.
    writeFileSync(`${outPath}.partial`, JSON.stringify(report));
    renameSync(`${outPath}.partial`, outPath);
  };
  let windowStarted = false;
  process.on('SIGUSR2', () => {
    if (windowStarted) writeReport();
    else startWindow();
    windowStarted = true;
  });
  process.once('exit', writeReport);
}

await install();
