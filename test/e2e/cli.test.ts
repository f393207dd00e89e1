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

  it('checks a spec without ordering anything: names the refused field and exits 1', async () => {
    harness = await startSystemHarness();
    const { url } = await harness.startApi();
    const spec = {
      filters: {
        dataProductCode: 'TSSD',
        extension: 'CSV',
        locationCode: 'BACAX',
        deviceCategoryCode: ['CTD', 'OXYSENSOR'],
        dateFrom: '2016-07-25',
        dateTo: '2016-07-27',
      },
      split: 'P1D',
    };
    const child = execFile(process.execPath, [cli, 'check', '-'], { env: { ...process.env, ONC_ORDERS_API: url } });
    child.stdin?.end(JSON.stringify(spec));
    const [code, stdout] = await new Promise<[number | null, string]>((resolve) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', (exitCode) => resolve([exitCode, out]));
    });
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('onc-data-products: 4 product(s), 2 distinct combination(s)');
    expect(stdout).toMatch(/refused \(2 product\(s\)\) .*deviceCategoryCode=CTD.*filters\.extension: .*csv/);
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(0);
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
