import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface AppProcess {
  readonly child: ChildProcess;
  readonly logPath: string;
  /** Resolves with the exit code and signal once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A user of its own for a process, as a host of a fleet would be one: its uid, and the fleet's shared group. */
export interface HostIdentity {
  uid: number;
  gid: number;
}

/**
 * Starts `pnpm api` or `pnpm worker` as the README runs them (node on the built dist), with the given environment
 * on top of this one. Output goes to a log file in `logDir`, so a failing test can be read afterwards. By default it
 * runs in the repository, as this process's user.
 */
export function startApp(
  app: 'api' | 'worker',
  env: Record<string, string>,
  logDir: string,
  name: string = app,
  options: { cwd?: string; identity?: HostIdentity | undefined } = {},
): AppProcess {
  const logPath = join(logDir, `${name}-${Date.now()}.log`);
  const log = createWriteStream(logPath);
  // A process of another user writes files its fleet's group can finish (umask 002, inherited at spawn).
  const umask = options.identity ? process.umask(0o002) : undefined;
  const child = spawn(process.execPath, [join(repoRoot, 'apps', app, 'dist', 'main.js')], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.identity ?? {}),
  });
  if (umask !== undefined) process.umask(umask);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve({ code, signal });
    });
  });
  return {
    child,
    logPath,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
