import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { startFromCli } from '../src/cli-program.js';
import type { OncSimulator } from '../src/index.js';
import { anyNumber, call, CTD_REQUEST } from './helpers.js';

const running: OncSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('onc-sim command (in process)', () => {
  it('starts on the given port with behaviour from flags and logs calls with the token redacted', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(
      [
        '--port',
        '0',
        '--token',
        'tok-a',
        'tok-b',
        '--files-per-run',
        '3',
        '--file-count-key',
        'filecount',
        '--queued-ms',
        '0',
        '--running-ms',
        '0',
        '--behaviour',
        '{"estimates":"units"}',
      ],
      cliIo,
    );
    running.push(sim);
    expect(out[0]).toBe(
      `onc-sim listening on ${sim.url} (service ${sim.serviceUrl}; 2 accepted token(s); control ${sim.url}_sim/)`,
    );
    const req = await call(sim, 'request', CTD_REQUEST, { token: 'tok-b' });
    expect(req.json).toMatchObject({ estimatedFileSize: '12 kB' });
    const dpRequestId = (req.json as { dpRequestId: number }).dpRequestId;
    const run = await call(sim, 'run', { dpRequestId }, { token: 'tok-b' });
    expect(run.json).toEqual([{ dpRunId: anyNumber, filecount: 3, status: 'complete' }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(out.slice(1)).toEqual([
      expect.stringMatching(/^GET \/api\/dataProductDelivery\/request\?token=REDACTED&.* -> 200 \(\d+ bytes\)$/),
      expect.stringMatching(/^GET \/api\/dataProductDelivery\/run\?token=REDACTED&dpRequestId=\d+ -> 200/),
    ]);
    expect((await call(sim, 'request', CTD_REQUEST, { token: 'tok-c' })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 20));
    expect(out.join('\n')).not.toMatch(/tok-[abc]/);
  });

  it('accepts any token by default and takes latency, bandwidth, range and chaos flags', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(
      [
        '--port',
        '0',
        '--quiet',
        '--latency-ms',
        '150',
        '--processing-ms',
        '0',
        '--queued-ms',
        '0',
        '--no-range-support',
        '--bandwidth',
        '1000000',
        '--chaos',
        '{"seed":7,"http500":1}',
      ],
      cliIo,
    );
    running.push(sim);
    expect(out[0]).toContain('any non-empty token');
    const started = Date.now();
    const r = await call(sim, 'request', CTD_REQUEST, { token: 'whatever' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(r.status).toBe(500); // chaos with http500 = 1
    sim.configure({ chaos: null, latencyMs: 0 });
    expect((await call(sim, 'request', CTD_REQUEST, { token: 'whatever' })).status).toBe(200);
    expect(sim.requests()[0]?.behaviour).toMatchObject({
      runningMs: 0,
      rangeSupport: false,
      bandwidthBytesPerSec: 1_000_000,
    });
  });

  it('hands out ids from --first-request-id and --first-run-id, for a restart against a database that keeps ids', async () => {
    const { io: cliIo } = io();
    const sim = await startFromCli(
      ['--port', '0', '--quiet', '--first-request-id', '1795282829000', '--first-run-id', '1795282830000'],
      cliIo,
    );
    running.push(sim);
    const req = await call(sim, 'request', CTD_REQUEST);
    const dpRequestId = (req.json as { dpRequestId: number }).dpRequestId;
    expect(dpRequestId).toBe(1795282829000);
    const run = await call(sim, 'run', { dpRequestId });
    expect((run.json as Array<{ dpRunId: number }>)[0]?.dpRunId).toBe(1795282830000);
  });

  it('stays quiet with --quiet', async () => {
    const { out, io: cliIo } = io();
    const sim = await startFromCli(['--port', '0', '--quiet'], cliIo);
    running.push(sim);
    await call(sim, 'request', CTD_REQUEST);
    expect(out).toHaveLength(1);
  });

  it('refuses bad arguments with a usage error', async () => {
    for (const argv of [
      ['--port', 'abc'],
      ['--past-last-file', '500'],
      ['--behaviour', '[1]'],
      ['--first-run-id', '0'],
      ['--first-request-id', '12.5'],
      ['--behaviour', '{"runs":0}'],
    ]) {
      const { err, io: cliIo } = io();
      await expect(startFromCli(['--port', '0', ...argv], cliIo), argv.join(' ')).rejects.toThrow();
      if (argv[0] !== '--behaviour' || argv[1] === '[1]') expect(err.join('\n'), argv.join(' ')).toMatch(/error/i);
    }
    const { out, io: cliIo } = io();
    await expect(startFromCli(['--help'], cliIo)).rejects.toBeInstanceOf(CommanderError);
    expect(out.join('\n')).toContain('--files-per-run');
  });
});

describe('onc-sim command (built)', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

  it('runs as a process, prints its URL first, serves, and exits 0 on SIGTERM', async () => {
    expect(existsSync(cli), `${cli} is missing: build first (pnpm build)`).toBe(true);
    const child = spawn(process.execPath, [cli, '--port', '0', '--token', 'proc-token'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (\S+)/.exec(stdout);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    const res = await fetch(
      `${url}api/dataProductDelivery?method=request&token=proc-token&${new URLSearchParams(CTD_REQUEST).toString()}`,
    );
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('?method=request&token=REDACTED&');
    expect(stdout).not.toContain('proc-token');
  });
});
