/**
 * The API as `pnpm api` runs it (`node apps/api/dist/main.js`), in its own process: its event loop is not the
 * benchmark's, so what a client measures against it is what an operator's probe would see.
 */
import { freePort } from '@onc-orders/testkit';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, startNode, type NodeChild } from './child-process.js';

export interface ApiProcess {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  readonly url: string;
  readonly process: NodeChild;
  stop(): Promise<void>;
}

const startTimeoutMs = 30_000;

/** Starts the API with `env` on top of this process's and waits until its `/healthz` answers 200. */
export async function startApiProcess(env: Record<string, string>, logPath: string): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = startNode('api', join(repoRoot, 'apps', 'api', 'dist', 'main.js'), [], {
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    logPath,
  });
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new Error(`the API exited before answering (see ${logPath})`);
    }
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await child.stop('SIGKILL');
      throw new Error(`the API did not answer /healthz within ${startTimeoutMs} ms (see ${logPath})`);
    }
    await sleep(100);
  }
  return {
    url,
    process: child,
    stop: async () => {
      await child.stop();
    },
  };
}
