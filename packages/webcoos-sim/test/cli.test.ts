import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { startFromCli } from '../src/cli-program.js';
import type { WebcoosSimulator } from '../src/index.js';
import { STILLS, api, elementsQuery, getPage, sleep } from './helpers.js';

const running: WebcoosSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('webcoos-sim command (in process)', () => {
  it('prints where it listens first, takes the archive and size flags, and logs calls without tokens', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(
      [
        '--port',
        '0',
        '--media-port',
        '0',
        '--token',
        'tok-a',
        'tok-b',
        '--from',
        '2024-07-01',
        '--to',
        '2024-07-02',
        '--stills-per-day',
        '12',
        '--still-bytes',
        '321',
        '--elements-page-size',
        '5',
        '--size-field',
        'bytes',
        '--inventory-columns',
        'count,starting,has_data',
      ],
      cliIo,
    );
    running.push(sim);
    expect(out[0]).toBe(`webcoos-sim listening on ${sim.url} (media ${sim.mediaUrl})`);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webcoos\/api\/v1$/);
    expect(sim.mediaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out[1]).toContain('2 accepted token(s)');
    const page = await getPage(sim, elementsQuery({ service: STILLS }));
    expect(page.pagination.count).toBe(12);
    expect(page.results).toHaveLength(5);
    expect(page.results[0]?.data.properties['bytes']).toBe(321);
    expect(page.results[0]?.data.extents.temporal.min.startsWith('2024-07-01')).toBe(true);
    const inventory = await api(sim, `/services/${STILLS}/inventory/`, { token: 'tok-b' });
    expect((inventory.json as { results: { meta: { fields: { name: string }[] } }[] }).results[0]?.meta.fields).toEqual(
      [
        expect.objectContaining({ name: 'count' }),
        expect.objectContaining({ name: 'starting' }),
        expect.objectContaining({ name: 'has_data' }),
      ],
    );
    await fetch(page.results[0]?.data.properties.url ?? '').then((r) => r.arrayBuffer());
    await sleep(20);
    expect(out.slice(2)).toEqual([
      expect.stringMatching(/^api GET \/webcoos\/api\/v1\/elements\/\?service=.* -> 200 \(\d+ bytes\)$/),
      expect.stringMatching(/^api GET \/webcoos\/api\/v1\/services\/.*\/inventory\/ -> 200/),
      expect.stringMatching(/^media GET \/webcoos\/.*\.jpg -> 200 \(321 bytes\)$/),
    ]);
    expect(out.join('\n')).not.toMatch(/tok-[ab]/);
  });

  it('takes rate limit, range, media and insertion flags, and stays quiet with --quiet', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(
      [
        '--port',
        '0',
        '--media-port',
        '0',
        '--quiet',
        '--rate-limit',
        '2',
        '--no-retry-after',
        '--no-range-support',
        '--media-authorization',
        'ignore',
        '--from',
        '2024-06-01',
        '--to',
        '2024-06-02',
        '--stills-per-day',
        '20',
        '--still-bytes',
        '100',
        '--insert-after-page',
        '{"afterPage":1,"count":2}',
      ],
      cliIo,
    );
    running.push(sim);
    expect(out[1]).toContain('the default token');
    await getPage(sim, elementsQuery({ service: STILLS, page_size: 5 }));
    expect(sim.elements(STILLS, undefined, undefined, { sha256: false })).toHaveLength(22);
    await api(sim, '/assets/');
    const throttled = await api(sim, '/assets/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBeNull();
    const url = sim.elements(STILLS, undefined, undefined, { sha256: false })[0]?.url ?? '';
    const res = await fetch(url, { headers: { Range: 'bytes=10-', Authorization: 'Token x' } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(out).toHaveLength(2);
  });

  it('refuses bad arguments with a usage error, and shows help', async () => {
    for (const argv of [
      ['--port', 'abc'],
      ['--default-ordering', 'size'],
      ['--inventory-columns', 'count,colour'],
      ['--insert-after-page', '[1]'],
      ['--media-authorization', 'maybe'],
    ]) {
      const { err, io: cliIo } = io();
      await expect(
        startFromCli(['--port', '0', '--media-port', '0', ...argv], cliIo),
        argv.join(' '),
      ).rejects.toThrow();
      expect(err.join('\n'), argv.join(' ')).toMatch(/error/i);
    }
    const { io: quietIo } = io();
    await expect(startFromCli(['--port', '0', '--media-port', '0', '--from', '2024-13-01'], quietIo)).rejects.toThrow(
      RangeError,
    );
    const { out, io: cliIo } = io();
    await expect(startFromCli(['--help'], cliIo)).rejects.toBeInstanceOf(CommanderError);
    expect(out.join('\n')).toContain('--media-port');
  });
});

describe('webcoos-sim command (built)', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

  it('runs as a process, prints its URLs first, serves both hosts, and exits 0 on SIGTERM', async () => {
    expect(existsSync(cli), `${cli} is missing: build first (pnpm build)`).toBe(true);
    const child = spawn(
      process.execPath,
      [
        cli,
        '--port',
        '0',
        '--media-port',
        '0',
        '--token',
        'proc-token',
        '--stills-per-day',
        '5',
        '--still-bytes',
        '64',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stdout = '';
    const [url, mediaUrl] = await new Promise<[string, string]>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /^webcoos-sim listening on (\S+) \(media (\S+)\)/.exec(stdout);
        if (m?.[1] && m[2]) resolve([m[1], m[2]]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    const res = await fetch(`${url}/elements/?service=${STILLS}&ordering=starting`, {
      headers: { Authorization: 'Token proc-token' },
    });
    expect(res.status).toBe(200);
    const first = ((await res.json()) as { results: { data: { properties: { url: string } } }[] }).results[0];
    expect(first?.data.properties.url.startsWith(mediaUrl)).toBe(true);
    const file = await fetch(first?.data.properties.url ?? '');
    expect((await file.arrayBuffer()).byteLength).toBe(64);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('media GET /webcoos/');
    expect(stdout).not.toContain('proc-token');
  });
});
