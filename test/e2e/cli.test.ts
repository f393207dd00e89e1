import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { closedPort } from '@onc-orders/testkit';
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
    const view = await harness.view(orderId ?? '');
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

  it('lists, shows, prints the history and the files of an order, and restarts it with --wait', async () => {
    harness = await startSystemHarness({ sim: { behaviour: { runningMs: 100 } } });
    const { url } = await harness.startApi();
    harness.startWorker();
    const env = { ...process.env, ONC_ORDERS_API: url, INIT_CWD: join(repoRoot, 'examples') };
    // A path relative to where `pnpm cli` was called from (INIT_CWD), not to the repository's root.
    const submitted = await run(process.execPath, [cli, 'submit', 'sample-order.json'], { env });
    const orderId = /order (\S+) accepted/.exec(submitted.stdout)?.[1] ?? '';
    expect(orderId).not.toBe('');
    await run(process.execPath, [cli, 'cancel', orderId], { env });

    const list = await run(process.execPath, [cli, 'list', '--status', 'cancelled'], { env });
    expect(list.stdout).toContain(orderId);
    expect(list.stdout).toMatch(/1 of 1 order\(s\)/);
    const events = await run(process.execPath, [cli, 'events', orderId], { env });
    expect(events.stdout).toMatch(/order queued → cancelled: cancelled by request/);
    expect(events.stdout).toMatch(/product #0 /);

    const restarted = await run(process.execPath, [cli, 'restart', orderId, '--wait'], { env });
    expect(restarted.stdout).toContain(`order ${orderId}: completed`);
    const show = await run(process.execPath, [cli, 'show', orderId], { env });
    expect(show.stdout).toMatch(new RegExp(`order ${orderId} \\(onc-data-products\\) .*: completed`));
    expect(show.stdout).toMatch(/#5 complete, \d+\/\d+ files/);
    const view = await harness.view(orderId);
    const files = await run(process.execPath, [cli, 'files', orderId], { env });
    for (const product of view?.products ?? []) {
      for (const file of product.files.filter((each) => each.status === 'complete')) {
        expect(files.stdout).toContain(`${file.sha256 ?? '?'}  ${file.path ?? '?'}`);
      }
    }
  });

  it('names the address and the cause when the API does not answer, and exits 3', async () => {
    const port = await closedPort();
    const failure = await run(process.execPath, [cli, 'list'], {
      env: { ...process.env, ONC_ORDERS_API: `http://127.0.0.1:${port}` },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 3 });
    expect((failure as { stderr: string }).stderr).toContain(
      `cannot reach the API at http://127.0.0.1:${port}: ECONNREFUSED`,
    );
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
