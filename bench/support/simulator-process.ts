/**
 * The simulator as the `onc-sim` command, in its own process (so its CPU is not the benchmark's), driven over its
 * `/_sim/` control endpoints.
 */
import { join } from 'node:path';
import type { ExpectedFile, RecordedCall, RequestSnapshot } from '@onc-orders/onc-sim';
import { repoRoot, startNode, type NodeChild } from './child-process.js';

export interface SimulatorProcess {
  /** Site root, e.g. "http://127.0.0.1:41234/" (what ONC_BASE_URL takes). */
  readonly url: string;
  readonly process: NodeChild;
  /** Every ONC call the simulator received (control calls are not recorded). */
  calls(): Promise<RecordedCall[]>;
  requests(): Promise<RequestSnapshot[]>;
  /** The files any order of these filters serves, with sizes and SHA-256 (computed by the simulator). */
  expectedFiles(filters: Readonly<Record<string, string>>): Promise<ExpectedFile[]>;
  stop(): Promise<void>;
}

const startTimeoutMs = 15_000;

/**
 * Runs `node packages/onc-sim/dist/cli.js --port 0 <args>` and waits for the line it prints first
 * ("onc-sim listening on <url> …"). Everything else it prints goes to `logPath`.
 */
export async function startSimulatorProcess(
  args: readonly string[],
  logPath: string,
  nodeArgs: readonly string[] = [],
): Promise<SimulatorProcess> {
  const script = join(repoRoot, 'packages', 'onc-sim', 'dist', 'cli.js');
  const child = startNode('onc-sim', script, ['--port', '0', ...args], { logPath, nodeArgs: [...nodeArgs] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => fail(new Error(`onc-sim printed no URL within ${startTimeoutMs} ms (see ${logPath})`)),
      startTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+\/)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        child.child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    const fail = (error: Error) => {
      child.child.stdout?.off('data', onData);
      void child.stop('SIGKILL');
      reject(error);
    };
    child.child.stdout?.on('data', onData);
    void child.exited.then((status) => {
      clearTimeout(timer);
      fail(new Error(`onc-sim exited (${status.code ?? status.signal}) before listening (see ${logPath})`));
    });
  });

  const control = async <T>(path: string): Promise<T> => {
    const answer = await fetch(new URL(`_sim/${path}`, url));
    if (!answer.ok) throw new Error(`GET /_sim/${path} answered ${answer.status}: ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  return {
    url,
    process: child,
    calls: () => control<RecordedCall[]>('calls'),
    requests: () => control<RequestSnapshot[]>('requests'),
    expectedFiles: (filters) =>
      control<ExpectedFile[]>(`expected-files?${new URLSearchParams({ ...filters }).toString()}`),
    async stop() {
      await child.stop('SIGTERM', 5_000);
    },
  };
}
