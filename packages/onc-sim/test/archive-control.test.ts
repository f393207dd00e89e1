import { afterEach, describe, expect, it } from 'vitest';
import { startFromCli } from '../src/cli-program.js';
import { ManualClock, type ArchiveFileTruth, type OncSimulator } from '../src/index.js';
import { ARCHIVE_NOW, api, listingOf, startSim } from './helpers.js';

const WINDOW = {
  deviceCode: 'ICLISTENHF1234',
  dateFrom: '2024-06-01T00:00:00.000Z',
  dateTo: '2024-06-01T00:30:00.000Z',
};

describe('/_sim control endpoints for the archive and discovery', () => {
  it('give the archive ground truth, change archive and discovery options, and take faults on the new methods', async () => {
    const sim = await startSim({ clock: new ManualClock(ARCHIVE_NOW) });
    const control = (path: string, init?: RequestInit) => fetch(`${sim.url}_sim/${path}`, init);
    const post = (path: string, body: unknown) => control(path, { method: 'POST', body: JSON.stringify(body) });

    const truth = (await (
      await control(`archive-files?${new URLSearchParams(WINDOW).toString()}`)
    ).json()) as ArchiveFileTruth[];
    expect(truth).toEqual(sim.archiveFiles(WINDOW));
    expect(truth).toHaveLength(24);
    const pending = (await (
      await control(
        `archive-files?${new URLSearchParams({ ...WINDOW, dateTo: '', dateFrom: '-PT2H', includePending: 'true' }).toString()}`,
      )
    ).json()) as ArchiveFileTruth[];
    expect(pending.some((f) => !f.listed)).toBe(true);

    const one = await control(`archive-file?filename=${truth[0]?.name ?? ''}`);
    expect(await one.json()).toEqual(truth[0]);
    expect((await control('archive-file?filename=NOPE.wav')).status).toBe(404);
    expect((await control('archive-files?deviceCode=NOPE')).status).toBe(400);

    expect(
      (await post('config', { archive: { echoToken: false, paging: 'dateFrom' }, discovery: { stringBooleans: true } }))
        .status,
    ).toBe(204);
    expect(sim.archiveOptions).toMatchObject({ echoToken: false, paging: 'dateFrom' });
    const page = listingOf(await api(sim, 'archivefile/device', { ...WINDOW, rowLimit: 5 }));
    expect(page.next?.parameters).not.toHaveProperty('token');
    expect(page.next?.parameters['dateFrom']).toBe('2024-06-01T00:05:00.000Z');
    const [device] = (await api(sim, 'devices', { deviceCode: 'ICLISTENHF1234' })).json as { hasDeviceData: unknown }[];
    expect(device?.hasDeviceData).toBe('true');
    expect((await post('config', { archive: { paging: 'cursor' } })).status).toBe(400);
    expect((await post('config', { discovery: { optionNames: 'DPO' } })).status).toBe(400);
    expect((await post('config', { archive: 'yes' })).status).toBe(400);
    expect(sim.archiveOptions.paging).toBe('dateFrom'); // a refused patch changes nothing

    const fault = await post('faults', {
      methods: ['archivefile/download', 'deployments'],
      times: 'Infinity',
      action: { kind: 'status', status: 502 },
    });
    expect(fault.status).toBe(201);
    expect((await api(sim, 'archivefile/download', { filename: truth[0]?.name ?? '' })).status).toBe(502);
    expect((await api(sim, 'deployments', {})).status).toBe(502);
    expect((await api(sim, 'devices', {})).status).toBe(200);
    expect((await post('faults', { methods: ['archivefile/Download'], action: { kind: 'reset' } })).status).toBe(400);
    expect((await control('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await api(sim, 'deployments', {})).status).toBe(200);
  });
});

describe('onc-sim command: archive and discovery flags', () => {
  const running: OncSimulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  it('sets archive and discovery options from flags and JSON', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const sim = await startFromCli(
      [
        '--port',
        '0',
        '--quiet',
        '--archive-paging',
        'dateFrom',
        '--no-archive-token-echo',
        '--archive-gzip',
        'stored',
        '--archive-file-size',
        '1000',
        '--archive',
        '{"messages":["hello"],"paging":"page"}',
        '--discovery-string-booleans',
        '--discovery-option-names',
        'dpo_',
      ],
      io,
    );
    running.push(sim);
    expect(sim.archiveOptions).toMatchObject({
      paging: 'dateFrom',
      echoToken: false,
      gzipDownload: 'stored',
      fileSizeBytes: 1000,
      messages: ['hello'],
    });
    expect(sim.discoveryOptions).toEqual({ stringBooleans: true, optionNames: 'dpo_' });
    const r = await api(sim, 'archivefile/download', { filename: 'ICLISTENHF1234_20240601T000000.000Z.wav' });
    expect(r.body.length).toBe(1000);
    for (const argv of [
      ['--archive-paging', 'cursor'],
      ['--archive', '[1]'],
      ['--archive', '{"rangeSupport":"yes"}'],
    ])
      await expect(startFromCli(['--port', '0', '--quiet', ...argv], io), argv.join(' ')).rejects.toThrow();
  });
});
