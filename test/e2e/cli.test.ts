import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repoRoot, 'apps', 'cli', 'dist', 'main.js');

describe('the onc-orders command line', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("submits the README's sample order, shows progress until it completes, and exits 0", async () => {
    harness = await startSystemHarness({ sim: { behaviour: { runningMs: 200 } } });
    const { url } = await harness.startApi({ API_KEYS: 'demo-key' });
    harness.startWorker();
    const { stdout, stderr } = await run(
      process.execPath,
      [cli, 'submit', join(repoRoot, 'examples', 'sample-order.json'), '--wait'],
      {
        env: { ...process.env, ONC_ORDERS_API: url, ONC_ORDERS_API_KEY: 'demo-key' },
      },
    );
    const orderId = /order (\S+) accepted: 6 product\(s\)/.exec(stdout)?.[1];
    expect(orderId, stdout).toBeDefined();
    expect(stdout).toContain(`order ${orderId}: completed`);
    const view = harness.view(orderId ?? '');
    expect(view?.status).toBe('completed');
    // The progress line (on stderr, where the bar is drawn) tells the files on disk apart from the looks past a
    // run's last file.
    expect(stderr).toContain(`ended, ${view?.progress.filesComplete ?? '?'} on disk`);
  });

  it('exits 2 with the API error when the key is wrong, and names no secret', async () => {
    harness = await startSystemHarness();
    const { url } = await harness.startApi({ API_KEYS: 'right-key' });
    const failure = await run(process.execPath, [cli, 'watch', 'some-order'], {
      env: { ...process.env, ONC_ORDERS_API: url, ONC_ORDERS_API_KEY: 'wrong-key' },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('401');
    expect((failure as { stderr: string }).stderr).not.toContain('wrong-key');
  });
});
