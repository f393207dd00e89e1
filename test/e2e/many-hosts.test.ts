import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startOncSimulator, type OncSimulator } from '@onc-orders/onc-sim';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  freePort,
  makeTempDir,
  rawRows,
  redisUrlForTests,
  sha256OfFile,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type AppProcess, type HostIdentity } from '../support/processes.js';

/**
 * Hosts share nothing but Redis, PostgreSQL and the download folder. Run as root (as CI is), each host is a user of
 * its own: its folders are its own (0700), and the shared download folder is writable by the fleet's group, as on a
 * file system every host mounts. Not root, the hosts are one user, and their folders are still apart.
 */
const isRoot = process.getuid?.() === 0;
const fleetGroup = 61_000;

interface Host {
  name: string;
  home: string;
  identity: HostIdentity | undefined;
  env: Record<string, string>;
}

async function makeHost(root: string, name: string, index: number): Promise<Host> {
  const home = join(root, name);
  const tmp = join(home, 'tmp');
  await mkdir(tmp, { recursive: true });
  const identity = isRoot ? { uid: fleetGroup + 1 + index, gid: fleetGroup } : undefined;
  if (identity) {
    await chown(home, identity.uid, identity.gid);
    await chown(tmp, identity.uid, identity.gid);
  }
  await chmod(home, 0o700);
  await writeFile(join(home, 'private.txt'), `${name}'s own file\n`, { mode: 0o600 });
  if (identity) await chown(join(home, 'private.txt'), identity.uid, identity.gid);
  // Its working directory, HOME and temporary folder; DATABASE_PATH's default would be under `data/` here.
  return { name, home, identity, env: { HOME: home, TMPDIR: tmp } };
}

/** Whether `reader` can read `owner`'s private file: as root, from a process running as `reader`'s user. */
function canRead(reader: Host, owner: Host): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-e', `require('fs').readFileSync(${JSON.stringify(join(owner.home, 'private.txt'))})`],
      { stdio: 'ignore', ...(reader.identity ?? {}) },
    );
    child.once('exit', (code) => resolve(code === 0));
  });
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

interface FileView {
  id: number;
  status: string;
  path: string | null;
  sha256: string | null;
  index: string;
  dpRunId: number | null;
}
interface OrderView {
  id: string;
  status: string;
  progress: { filesComplete: number };
  products: Array<{ status: string; files: FileView[]; runs: unknown[] }>;
}

describe('many hosts: an API and three workers sharing only Redis, PostgreSQL and the download folder', () => {
  let sim: OncSimulator | undefined;
  let database: TestDatabase | undefined;
  let cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
    await sim?.close();
    await database?.drop();
    sim = undefined;
    database = undefined;
  });

  it('a worker SIGKILLed mid-order leaves its files to the others: no ONC work twice, every file verified', async () => {
    sim = await startOncSimulator({
      behaviour: {
        queuedMs: 0,
        runningMs: 300,
        filesPerRun: 2,
        fileSizeBytes: 2 * 1024 * 1024,
        bandwidthBytesPerSec: 2 * 1024 * 1024,
      },
    });
    database = await createTestDatabase({ poolMax: 2 });
    const temp = await makeTempDir('many-hosts');
    cleanup.push(() => temp.remove());
    const redisUrl = await redisUrlForTests();
    const prefix = uniquePrefix('hosts');
    cleanup.push(() => deleteKeysWithPrefix(redisUrl, prefix));
    const downloadDir = join(temp.path, 'shared-downloads');
    await mkdir(downloadDir);
    if (isRoot) {
      await chown(temp.path, 0, fleetGroup);
      await chmod(temp.path, 0o750);
      await chown(downloadDir, 0, fleetGroup);
    }
    // Group-writable, and new entries keep the group (setgid): a file one host began, another may finish.
    await chmod(downloadDir, isRoot ? 0o2770 : 0o700);

    const hosts = await Promise.all(
      ['api-host', 'worker-host-1', 'worker-host-2', 'worker-host-3'].map((name, index) =>
        makeHost(temp.path, name, index),
      ),
    );
    const [apiHost, ...workerHosts] = hosts as [Host, Host, Host, Host];
    const shared = {
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      DATABASE_URL: database.url,
      DOWNLOAD_DIR: downloadDir,
      ONC_BASE_URL: sim.url,
      ONC_TOKEN: sim.token,
      ONC_MAX_RPS: '200',
      POLL_MIN_MS: '50',
      POLL_MAX_MS: '300',
      RETRY_BASE_MS: '50',
      RECONCILE_INTERVAL_MS: '2000',
      WORKER_DOWNLOAD_CONCURRENCY: '2',
    };
    const port = await freePort();
    const processes: AppProcess[] = [];
    const start = (app: 'api' | 'worker', host: Host, extra: Record<string, string> = {}) => {
      const started = startApp(app, { ...shared, ...host.env, ...extra }, host.home, host.name, {
        cwd: host.home,
        identity: host.identity,
      });
      processes.push(started);
      return started;
    };
    cleanup.push(() => Promise.all(processes.map((process) => process.kill('SIGKILL'))));
    start('api', apiHost, { HOST: '127.0.0.1', PORT: String(port) });
    const workers = workerHosts.map((host) => start('worker', host));
    const api = `http://127.0.0.1:${port}`;
    await waitFor(
      'the API to answer',
      async () => ((await fetch(`${api}/healthz`).catch(() => undefined))?.ok ? true : undefined),
      {
        timeoutMs: 30_000,
      },
    );
    const health = (await (await fetch(`${api}/healthz`)).json()) as { database: string };
    expect(health.database).toBe('postgres');

    const submitted = await fetch(`${api}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        filters: {
          dataProductCode: 'TSSD',
          extension: 'csv',
          locationCode: 'BACAX',
          deviceCategoryCode: 'CTD',
          dateFrom: '2016-03-01',
          dateTo: '2016-03-09',
        },
        split: 'P1D',
        label: 'many hosts',
      }),
    });
    expect(submitted.status).toBe(201);
    const orderId = ((await submitted.json()) as { id: string }).id;
    const view = async () => (await (await fetch(`${api}/orders/${orderId}`)).json()) as OrderView;

    // The victim: whichever worker holds a file's lease (a download under way) once the order has begun to
    // arrive. A lease's owner names its process (`host:pid:…`).
    const byPid = new Map(workers.map((worker) => [String(worker.child.pid), worker]));
    const { victim, held } = await waitFor(
      "a worker's downloads to be under way",
      async () => {
        const rows = await rawRows<{ id: number; owner: string }>(
          { dialect: 'postgres', pool: database!.pool },
          'SELECT id, lease_owner AS owner FROM files WHERE order_id = ? AND lease_owner IS NOT NULL AND status = ?',
          orderId,
          'downloading',
        );
        const current = await view();
        if (['completed', 'failed', 'cancelled'].includes(current.status))
          throw new Error(`the order is ${current.status} before any worker was killed`);
        const pid = rows[0]?.owner.split(':')[1];
        const worker = pid === undefined ? undefined : byPid.get(pid);
        if (!worker || current.progress.filesComplete < 2) return undefined;
        return { victim: worker, held: rows.filter((row) => row.owner.split(':')[1] === pid).map((row) => row.id) };
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(await victim.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const order = await waitFor(
      'the order to end',
      async () => {
        const current = await view();
        return ['completed', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    expect(order.status).toBe('completed');

    // Every file is on the shared folder, verified against what the simulator served; the victim's are among them.
    const complete = order.products.flatMap((product) => product.files.filter((file) => file.status === 'complete'));
    expect(order.products.every((product) => product.status === 'complete')).toBe(true);
    expect(complete).toHaveLength(order.products.length * 3);
    for (const file of complete) {
      const expected = sim.fileSha256(file.dpRunId ?? 0, file.index === 'meta' ? 'meta' : Number(file.index));
      expect(file.sha256).toBe(expected);
      expect(await sha256OfFile(join(downloadDir, file.path ?? ''))).toBe(expected);
    }
    for (const id of held) expect(complete.map((file) => file.id)).toContain(id);
    expect((await filesUnder(downloadDir)).filter((path) => path.endsWith('.part'))).toEqual([]);

    // No ONC work twice: one request and one run per product, and no file sent whole twice (the victim's were
    // resumed with a Range, or begun again only where nothing of them had been kept).
    const calls = sim.calls();
    expect(calls.filter((call) => call.method === 'request' && call.status === 200)).toHaveLength(
      order.products.length,
    );
    expect(calls.filter((call) => call.method === 'run' && call.status === 202)).toHaveLength(order.products.length);
    const wholeSends = new Map<string, number>();
    for (const call of calls) {
      if (call.method !== 'download' || call.status !== 200 || !call.completed) continue;
      const key = `${call.params['dpRunId']}/${call.params['index']}`;
      wholeSends.set(key, (wholeSends.get(key) ?? 0) + 1);
    }
    for (const [key, count] of wholeSends) expect(count, key).toBe(1);
    // The victim's downloads were taken over where they stood.
    expect(calls.some((call) => call.method === 'download' && call.status === 206)).toBe(true);

    // Nothing of the state was kept on any host: no SQLite file in any host's folders.
    for (const host of hosts)
      expect((await filesUnder(host.home)).filter((path) => /\.sqlite(-wal|-shm)?$/.test(path))).toEqual([]);
    // And, run as root, no host can read another's files.
    if (isRoot) {
      expect(await canRead(workerHosts[1], workerHosts[1])).toBe(true);
      expect(await canRead(workerHosts[1], workerHosts[2])).toBe(false);
      expect(await canRead(workerHosts[2], apiHost)).toBe(false);
    }
  }, 180_000);
});
