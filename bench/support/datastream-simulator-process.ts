/**
 * The DataStream simulator as the `datastream-sim` command, in its own process (so its CPU is not the benchmark's),
 * read over its `/_sim/` control endpoints.
 */
import { join } from 'node:path';
import { repoRoot, startNode, type NodeChild } from './child-process.js';

export interface DataStreamSimulatorProcess {
  /** The API base, e.g. "http://127.0.0.1:41234/v1/odata/v4" (what DATASTREAM_BASE_URL takes). */
  readonly url: string;
  readonly process: NodeChild;
  /** A GET of `/_sim/<path>`, as JSON. */
  control<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

const startTimeoutMs = 30_000;

/** Runs `node packages/datastream-sim/dist/cli.js --port 0 <args>` and waits for its "listening on <url>" line. */
export async function startDataStreamSimulatorProcess(
  args: readonly string[],
  logPath: string,
): Promise<DataStreamSimulatorProcess> {
  const script = join(repoRoot, 'packages', 'datastream-sim', 'dist', 'cli.js');
  const child = startNode('datastream-sim', script, ['--port', '0', ...args], { logPath });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => fail(new Error(`datastream-sim printed no URL within ${startTimeoutMs} ms (see ${logPath})`)),
      startTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(seen);
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
      fail(new Error(`datastream-sim exited (${status.code ?? status.signal}) before listening (see ${logPath})`));
    });
  });
  const origin = new URL(url).origin;
  return {
    url,
    process: child,
    async control<T>(path: string): Promise<T> {
      const answer = await fetch(`${origin}/_sim/${path}`);
      if (!answer.ok) throw new Error(`GET /_sim/${path} answered ${answer.status}: ${await answer.text()}`);
      return (await answer.json()) as T;
    },
    async stop() {
      await child.stop('SIGTERM', 5_000);
    },
  };
}
