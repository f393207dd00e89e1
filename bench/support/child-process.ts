/**
 * Child processes for the benchmarks (the simulator, the workers): started with this Node, output to a log file,
 * stopped by their own pid only, and their CPU time readable from /proc while they run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, from bench/dist/support/ or bench/support/. */
export const repoRoot = fileURLToPath(
  new URL(import.meta.url.includes('/bench/dist/') ? '../../../' : '../../', import.meta.url),
);

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeChild {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logPath: string;
  readonly exited: Promise<ExitStatus>;
  /** Sends `signal`, waits up to `graceMs` for the exit, then SIGKILLs. Harmless once the process has ended. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExitStatus>;
  /** User + system CPU seconds so far, from /proc (undefined where there is no /proc or the process has ended). */
  cpuSeconds(): number | undefined;
  /** The highest RSS the process has had (VmHWM), in bytes, from /proc; undefined when unreadable. */
  peakRssBytes(): number | undefined;
}

export interface NodeChildOptions {
  /** Environment on top of this process's. */
  env?: Record<string, string>;
  /** Flags for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  /** Where stdout and stderr go (appended), except what `onStdout` consumes. */
  logPath: string;
}

/** Starts `node [nodeArgs] script [args]` from the repository root. */
export function startNode(name: string, script: string, args: readonly string[], options: NodeChildOptions): NodeChild {
  const log = createWriteStream(options.logPath, { flags: 'a' });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve({ code, signal });
    });
  });
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    logPath: options.logPath,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
      if (ended()) return exited;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      const first = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (first === 'late' && !ended()) child.kill('SIGKILL');
      return exited;
    },
    cpuSeconds() {
      return child.pid === undefined || ended() ? undefined : cpuSecondsOfPid(child.pid);
    },
    peakRssBytes() {
      return child.pid === undefined || ended() ? undefined : peakRssOfPid(child.pid);
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
const clockTicksPerSecond = 100;

/**
 * User + system CPU seconds a process has used, read from /proc/<pid>/stat; undefined when unreadable. With
 * `reapedChildren`, also those of its children that have ended and been waited for (cutime and cstime).
 */
export function cpuSecondsOfPid(pid: number, { reapedChildren = false } = {}): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start with field 3, `state`; utime is 14, stime 15,
    // cutime 16 and cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const times = fields.slice(11, reapedChildren ? 15 : 13).map(Number);
    if (!times.every(Number.isFinite)) return undefined;
    return times.reduce((sum, ticks) => sum + ticks, 0) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** The highest resident set size a process has had (VmHWM in /proc/<pid>/status), in bytes. */
export function peakRssOfPid(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** This process's own CPU seconds (user + system). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Machine-wide CPU time by kind, in clock ticks, from the first line of /proc/stat (undefined without /proc). */
export interface MachineCpu {
  user: number;
  system: number;
  iowait: number;
  steal: number;
  idle: number;
}

export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { user: user + nice, system: system + irq + softirq, iowait, steal, idle };
  } catch {
    return undefined;
  }
}

/** The share of each kind of CPU time between two readings, in percent of all cores' time. */
export function machineCpuShares(before: MachineCpu, after: MachineCpu): MachineCpu {
  const delta = {
    user: after.user - before.user,
    system: after.system - before.system,
    iowait: after.iowait - before.iowait,
    steal: after.steal - before.steal,
    idle: after.idle - before.idle,
  };
  const total = delta.user + delta.system + delta.iowait + delta.steal + delta.idle || 1;
  return {
    user: (100 * delta.user) / total,
    system: (100 * delta.system) / total,
    iowait: (100 * delta.iowait) / total,
    steal: (100 * delta.steal) / total,
    idle: (100 * delta.idle) / total,
  };
}

/**
 * CPU seconds used so far by every process named `postgres` (the server and its backends, those that have ended
 * included), for a PostgreSQL on this machine: the whole server, not only the benchmark's database.
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    // A backend that ends during the run (a pool's connection closed) takes its CPU time with it, which would make
    // the difference of two readings negative; the postmaster, which waits for it, then holds that time among its
    // reaped children's. Counted for every process, a backend's time is in exactly one place at each reading.
    total += cpuSecondsOfPid(Number(entry), { reapedChildren: true }) ?? 0;
  }
  return total;
}
