import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { startFromCli } from '../src/cli-program.js';
import { DEFAULT_DATASTREAM_API_KEY, type DataStreamSimulator } from '../src/index.js';
import { encodeQuery, startSim } from './helpers.js';

const running: DataStreamSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const SHAPE_FLAGS = ['--seed', '5', '--datasets', '2', '--locations', '4', '--observations-per-location', '30,60'];

describe('datastream-sim command (in process)', () => {
  it('starts with the data and limits from its flags, prints its URL first and a line per call', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(
      [
        '--port',
        '0',
        ...SHAPE_FLAGS,
        '--api-key',
        'cli-key',
        '--requests-per-second',
        '5',
        '--too-large-above-top',
        '50',
      ],
      cliIo,
    );
    running.push(sim);
    expect(out[0]).toMatch(
      new RegExp(
        `^datastream-sim listening on ${sim.url.replace(/[.]/g, '\\.')} \\(2 datasets, 4 locations, \\d+ observations, seed 5; 1 accepted api key\\(s\\); control ${sim.origin.replace(/[.]/g, '\\.')}/_sim/\\)$`,
      ),
    );
    expect(sim.settings().rateLimit).toMatchObject({ requestsPerSecond: 5, maxInFlight: 1 });
    expect(sim.summary()).toMatchObject({ seed: 5, datasets: 2, locations: 4 });
    const ok = await fetch(`${sim.url}/Locations?${encodeQuery({ $select: 'Id' })}`, {
      headers: { 'x-api-key': 'cli-key' },
    });
    expect(ok.status).toBe(200);
    const big = await fetch(`${sim.url}/Observations?$top=51`, { headers: { 'x-api-key': 'cli-key' } });
    expect(big.status).toBe(413);
    await new Promise((r) => setTimeout(r, 20));
    expect(out.slice(1)).toEqual([
      expect.stringMatching(/^GET \/v1\/odata\/v4\/Locations\?%24select=Id -> 200 \(4 rows, \d+ bytes\)$/),
      expect.stringMatching(
        /^GET \/v1\/odata\/v4\/Observations\?\$top=51 -> 413 \[too-large-threshold\] \(0 rows, \d+ bytes\)$/,
      ),
    ]);
    expect(out.join('\n')).not.toContain('cli-key');
  });

  it('turns the limit off, or changes how it refuses, and stays quiet with --quiet', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(
      ['--port', '0', ...SHAPE_FLAGS, '--no-rate-limit', '--quiet', '--next-link-in', 'body'],
      cliIo,
    );
    running.push(sim);
    expect(out[0]).toContain('accepts the default api key (DEFAULT_DATASTREAM_API_KEY)');
    expect(out[0]).not.toContain(DEFAULT_DATASTREAM_API_KEY);
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => fetch(`${sim.url}/Metadata`, { headers: { 'x-api-key': sim.apiKey } })),
    );
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(out).toHaveLength(1);
    expect(sim.settings()).toMatchObject({ rateLimit: false, nextLinkIn: 'body' });

    const legacy = io();
    const old = await startFromCli(
      ['--port', '0', ...SHAPE_FLAGS, '--legacy-403', '--no-retry-after', '--quiet'],
      legacy.io,
    );
    running.push(old);
    expect(old.settings().rateLimit).toMatchObject({ legacy403: true, retryAfter: false, requestsPerSecond: 2 });
  });

  it('refuses bad arguments with a usage error, and prints help', async () => {
    for (const argv of [
      ['--port', 'abc'],
      ['--locations', '-1'],
      ['--observations-per-location', '9,3'],
      ['--next-link-in', 'nowhere'],
      ['--timeout-status', '500'],
      ['--datasets', '0'],
    ]) {
      const { err, io: cliIo } = io();
      await expect(startFromCli(['--port', '0', ...argv], cliIo), argv.join(' ')).rejects.toThrow();
      expect(err.join('\n'), argv.join(' ')).toMatch(/error/i);
    }
    const { out, io: cliIo } = io();
    await expect(startFromCli(['--help'], cliIo)).rejects.toBeInstanceOf(CommanderError);
    expect(out.join('\n')).toContain('--observations-per-location');
  });
});

describe('datastream-sim command (built)', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

  it('runs as a process, serves the same data as an in-process simulator of the same seed, and exits 0 on SIGTERM', async () => {
    expect(existsSync(cli), `${cli} is missing: build first (pnpm build)`).toBe(true);
    const child = spawn(process.execPath, [cli, '--port', '0', ...SHAPE_FLAGS, '--no-rate-limit'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /^datastream-sim listening on (\S+)/.exec(stdout);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    const query = encodeQuery({ $filter: "CharacteristicName eq 'pH'", $top: 1000 });
    const res = await fetch(`${url}/Records?${query}`, { headers: { 'x-api-key': DEFAULT_DATASTREAM_API_KEY } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { value: unknown[] };
    const local = await startSim({ seed: 5, datasets: 2, locations: 4, observationsPerLocation: [30, 60] });
    expect(body.value).toEqual(local.rows('Records', { filter: "CharacteristicName eq 'pH'" }));
    expect(body.value.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(
      /GET \/v1\/odata\/v4\/Records\?%24filter=CharacteristicName\+eq\+%27pH%27&%24top=1000 -> 200/,
    );
  });
});
