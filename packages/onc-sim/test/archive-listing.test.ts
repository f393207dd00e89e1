import { describe, expect, it } from 'vitest';
import { ManualClock, type OncSimulator } from '../src/index.js';
import { ARCHIVE_NOW, api, errorsOf, listingOf, startSim, type Listing } from './helpers.js';

const HYDROPHONE = {
  deviceCode: 'ICLISTENHF1234',
  dateFrom: '2024-06-01T00:00:00.000Z',
  dateTo: '2024-06-01T02:00:00.000Z',
};
const AT_FGPD = {
  locationCode: 'FGPD',
  deviceCategoryCode: 'HYDROPHONE',
  dateFrom: HYDROPHONE.dateFrom,
  dateTo: HYDROPHONE.dateTo,
};

const simAt = (ms: number, options: Parameters<typeof startSim>[0] = {}) =>
  startSim({ clock: new ManualClock(ms), ...options });

/** Follows `next` the way the official Python client does: the same path with `next.parameters`, own token. */
async function allPages(sim: OncSimulator, path: string, params: Record<string, string | number>) {
  const pages: Listing[] = [];
  let parameters: Record<string, string | number> | null = params;
  while (parameters) {
    const { token: _token, ...rest } = parameters;
    const page = listingOf(await api(sim, path, rest));
    pages.push(page);
    parameters = page.next?.parameters ?? null;
    if (pages.length > 1000) throw new Error('paging does not end');
  }
  return pages;
}

describe('archive listings', () => {
  it('pages to the end in exactly the ground truth, on both URL forms', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const truth = sim.archiveFiles(HYDROPHONE).map((f) => f.name);
    expect(truth).toHaveLength(2 * 12 * 4); // two hours of 5-minute wav, flac, mp3 and spectrogram files
    expect(truth[0]).toBe('ICLISTENHF1234_20240601T000000.000Z-spect.png');
    expect(truth).toContain('ICLISTENHF1234_20240601T000000.000Z.wav');

    const byDevice = await allPages(sim, 'archivefile/device', { ...HYDROPHONE, rowLimit: 25 });
    expect(byDevice).toHaveLength(4);
    expect(byDevice.map((p) => p.files.length)).toEqual([25, 25, 25, 21]);
    expect(byDevice.flatMap((p) => p.files)).toEqual(truth);
    expect(byDevice.at(-1)?.next).toBeNull();

    const legacy = await allPages(sim, 'archivefiles', { method: 'getListByLocation', ...AT_FGPD, rowLimit: 40 });
    expect(legacy.flatMap((p) => p.files)).toEqual(truth);
    expect(legacy[0]?.next?.parameters).toMatchObject({ method: 'getListByLocation', page: '2', rowLimit: '40' });
    expect(legacy[0]?.next?.url).toMatch(/\/api\/archivefiles\?(.+&)?method=getListByLocation&.*page=2$/);

    const calls = sim.calls();
    const times = (n: number, value: string): string[] => Array.from({ length: n }, () => value);
    expect(calls.map((c) => c.method)).toEqual([
      ...times(4, 'archivefile/device'),
      ...times(3, 'archivefile/location'),
    ]);
    expect(calls.map((c) => c.urlForm)).toEqual([...times(4, 'path'), ...times(3, 'query')]);
    expect(calls.every((c) => c.service === 'archivefile')).toBe(true);
  });

  it('answers one page with next null when the rows fit, with the row limit exactly met too', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const whole = listingOf(await api(sim, 'archivefile/location', AT_FGPD));
    expect(whole.next).toBeNull();
    expect(whole.files).toHaveLength(96);
    expect(listingOf(await api(sim, 'archivefile/location', { ...AT_FGPD, rowLimit: 96 })).next).toBeNull();
    expect(listingOf(await api(sim, 'archivefile/location', { ...AT_FGPD, rowLimit: 95 })).next).not.toBeNull();
    const past = listingOf(await api(sim, 'archivefile/location', { ...AT_FGPD, rowLimit: 50, page: 3 }));
    expect(past).toMatchObject({ next: null, files: [] });
  });

  it('can page by moving dateFrom instead, listing files that share the cut-off start time again', async () => {
    const sim = await simAt(ARCHIVE_NOW, { archive: { paging: 'dateFrom' } });
    const truth = sim.archiveFiles(HYDROPHONE).map((f) => f.name);
    const pages = await allPages(sim, 'archivefile/device', { ...HYDROPHONE, dateTo: 'PT2H', rowLimit: 6 });
    const rows = pages.flatMap((p) => p.files as string[]);
    expect(rows.length).toBeGreaterThan(truth.length); // the second file of a start time opens the next page again
    expect([...new Set(rows)]).toEqual(truth);
    expect(pages[0]?.next?.parameters).toMatchObject({
      dateFrom: '2024-06-01T00:05:00.000Z',
      dateTo: '2024-06-01T02:00:00.000Z', // made absolute: "PT2H" would move with dateFrom
    });
    expect(pages[0]?.next?.parameters).not.toHaveProperty('page');
  });

  it('carries the token in next and queryUrl by default, and not when told so', async () => {
    const sim = await simAt(ARCHIVE_NOW, { tokens: ['secret-archive-token'] });
    const opts = { token: 'secret-archive-token' };
    const echoed = listingOf(await api(sim, 'archivefile/device', { ...HYDROPHONE, rowLimit: 5 }, opts));
    expect(echoed.next?.parameters['token']).toBe('secret-archive-token');
    expect(echoed.next?.url).toContain('token=secret-archive-token');
    expect(echoed.queryUrl).toContain('token=secret-archive-token');
    sim.configure({ archive: { echoToken: false } });
    const quiet = listingOf(await api(sim, 'archivefile/device', { ...HYDROPHONE, rowLimit: 5 }, opts));
    expect(quiet.next?.parameters).not.toHaveProperty('token');
    expect(`${quiet.next?.url} ${quiet.queryUrl}`).not.toContain('secret-archive-token');
    expect(quiet.queryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/archivefile\/device\?deviceCode=ICLISTENHF1234&/);
    expect(JSON.stringify(sim.calls())).not.toContain('secret-archive-token');
  });

  it('writes names by default, objects with returnOptions=all, and name and place with archiveLocation', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const one = {
      deviceCode: 'ICLISTENHF1234',
      dateFrom: '2024-06-01T00:00:00.000Z',
      dateTo: 'PT5M',
      fileExtension: 'wav',
    };
    expect(listingOf(await api(sim, 'archivefile/device', one)).files).toEqual([
      'ICLISTENHF1234_20240601T000000.000Z.wav',
    ]);
    const [truth] = sim.archiveFiles({ ...one, deviceCode: 'ICLISTENHF1234' });
    const all = listingOf(await api(sim, 'archivefile/device', { ...one, returnOptions: 'all' }));
    expect(all.files).toEqual([
      {
        archiveLocation: '/archive/AD/ICLISTENHF1234',
        archivedDate: truth?.archivedDate,
        compression: null,
        dataProductCode: 'AD',
        dateFrom: '2024-06-01T00:00:00.000Z',
        dateTo: '2024-06-01T00:05:00.000Z',
        deviceCode: 'ICLISTENHF1234',
        fileSize: truth?.sizeBytes,
        filename: 'ICLISTENHF1234_20240601T000000.000Z.wav',
        modifyDate: truth?.archivedDate,
        path: 'ICLISTENHF1234/2024/06/01',
        uncompressedFileSize: truth?.sizeBytes,
      },
    ]);
    const place = listingOf(await api(sim, 'archivefile/device', { ...one, returnOptions: 'archiveLocation' }));
    expect(place.files).toEqual([
      { archiveLocation: '/archive/AD/ICLISTENHF1234', filename: 'ICLISTENHF1234_20240601T000000.000Z.wav' },
    ]);
  });

  it('lists compressed files with both sizes', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const r = listingOf(
      await api(sim, 'archivefile/device', {
        deviceCode: 'BPR-Folger-59',
        dateFrom: '2019-11-23',
        dateTo: '2019-11-26',
        returnOptions: 'all',
      }),
    );
    expect(r.files.map((f) => (f as { filename: string }).filename)).toEqual([
      'BPR-Folger-59_20191123T000000.000Z.txt',
      'BPR-Folger-59_20191124T000000.000Z.txt',
      'BPR-Folger-59_20191125T000000.000Z.txt',
    ]);
    for (const f of r.files as { compression: string; fileSize: number; uncompressedFileSize: number }[]) {
      expect(f.compression).toBe('gz');
      expect(f.fileSize).not.toBe(f.uncompressedFileSize);
    }
  });

  it('filters by fileExtension and dataProductCode on the server, exactly; extension is no listing parameter', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const names = async (extra: Record<string, string>) =>
      listingOf(await api(sim, 'archivefile/device', { ...HYDROPHONE, ...extra })).files as string[];
    const png = await names({ fileExtension: 'png' });
    expect(png).toHaveLength(24);
    expect(png.every((n) => n.endsWith('-spect.png'))).toBe(true);
    expect(await names({ fileExtension: 'flac' })).toEqual(
      sim.archiveFiles({ ...HYDROPHONE, fileExtension: 'flac' }).map((f) => f.name),
    );
    expect(await names({ fileExtension: 'WAV' })).toEqual([]);
    expect(await names({ dataProductCode: 'HSD' })).toEqual(png);
    expect((await names({ dataProductCode: 'AD' })).length).toBe(72);
    const r = await api(sim, 'archivefile/device', { ...HYDROPHONE, extension: 'wav' });
    expect(r.status).toBe(400);
    expect(errorsOf(r)).toEqual([{ errorCode: 129, errorMessage: 'Invalid parameter name', parameter: 'extension' }]);
  });

  it('takes dates on or after dateFrom and before dateTo, in every data product form, durations included', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const first = async (params: Record<string, string>) =>
      listingOf(await api(sim, 'archivefile/device', { deviceCode: 'ICLISTENHF1234', fileExtension: 'wav', ...params }))
        .files as string[];
    expect(await first({ dateFrom: '2024-06-01T00:05:00.000Z', dateTo: '2024-06-01T00:15:00.000Z' })).toEqual([
      'ICLISTENHF1234_20240601T000500.000Z.wav',
      'ICLISTENHF1234_20240601T001000.000Z.wav',
    ]);
    expect(await first({ dateFrom: '-PT10M', dateTo: '2024-06-01T00:15:00.000Z' })).toEqual(
      await first({ dateFrom: '2024-06-01T00:05:00Z', dateTo: '2024-06-01T00:15:00.0Z' }),
    );
    expect(await first({ dateFrom: '2024-06-01', dateTo: 'PT6M' })).toHaveLength(2);
    // No dateTo: up to the clock, less what is withheld (files less than an hour old).
    const open = await first({ dateFrom: '2024-06-01T22:00:00.000Z' });
    expect(open.at(-1)).toBe('ICLISTENHF1234_20240601T230000.000Z.wav');
  });

  it('answers the newest file alone with getLatest=true', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const latest = listingOf(await api(sim, 'archivefile/device', { ...HYDROPHONE, getLatest: 'true' }));
    expect(latest).toMatchObject({ next: null, files: ['ICLISTENHF1234_20240601T015500.000Z.wav'] });
  });

  it('tells "no data" apart by method: 400/127 by location, 200 with no files by device', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const old = { dateFrom: '2000-01-01', dateTo: '2000-01-02' };
    const byLocation = await api(sim, 'archivefile/location', { ...AT_FGPD, ...old });
    expect(byLocation.status).toBe(400);
    expect(errorsOf(byLocation)).toEqual([
      { errorCode: 127, errorMessage: expect.any(String) as unknown, parameter: 'dateFrom/dateTo' },
    ]);
    // A category with devices there but no archive is "no data" too.
    expect((await api(sim, 'archivefile/location', { locationCode: 'BACAX', deviceCategoryCode: 'CTD' })).status).toBe(
      400,
    );
    const legacy = await api(sim, 'archivefiles', { method: 'getListByLocation', ...AT_FGPD, ...old });
    expect(legacy.status).toBe(400);
    const byDevice = listingOf(await api(sim, 'archivefile/device', { ...HYDROPHONE, ...old }));
    expect(byDevice).toMatchObject({ next: null, files: [] });
    expect(byDevice.queryUrl).toContain('/api/archivefile/device?');
  });
});

describe('archive timing against the clock', () => {
  it('leaves a late file out until its archivedDate, then lists it; dateArchivedFrom picks it up', async () => {
    const clock = new ManualClock(ARCHIVE_NOW);
    const sim = await startSim({ clock });
    const adcp = { deviceCode: 'RDIADCP2MHZ8006', dateFrom: '2024-05-20', dateTo: '2024-06-01' };
    const late = sim.archiveFiles(adcp).find((f) => Date.parse(f.archivedDate) - Date.parse(f.dateTo) >= 3_600_000);
    if (!late) throw new Error('one in ten ADCP files is late: twelve days of hourly files hold some');
    const lateName = late.name;

    const firstLook = Date.parse(late.dateTo) + 10 * 60_000;
    clock.set(firstLook);
    const window = { deviceCode: 'RDIADCP2MHZ8006', dateFrom: '-PT6H' };
    const before = listingOf(await api(sim, 'archivefile/device', window)).files as string[];
    expect(before).not.toContain(lateName);
    expect(before.length).toBeGreaterThan(0);
    const pending = sim.archiveFiles({ ...adcp, includePending: true }).find((f) => f.name === lateName);
    expect(pending).toMatchObject({ listed: false, archivedDate: late.archivedDate });
    expect((await api(sim, 'archivefile/download', { filename: lateName })).status).toBe(400); // 96 until archived

    clock.set(Date.parse(late.archivedDate));
    const after = listingOf(await api(sim, 'archivefile/device', { ...window, dateFrom: '-PT8H' })).files as string[];
    expect(after).toContain(lateName);
    const since = new Date(firstLook).toISOString();
    const news = listingOf(
      await api(sim, 'archivefile/device', { ...window, dateFrom: '-PT8H', dateArchivedFrom: since }),
    ).files;
    expect(news).toContain(lateName);
    expect(news.length).toBeLessThan(after.length);
  });

  it('withholds hydrophone files under an hour old, with a warning, and lists them an hour later', async () => {
    const clock = new ManualClock(Date.parse('2024-06-01T12:00:00.000Z'));
    const sim = await startSim({ clock });
    const query = { deviceCode: 'ICLISTENHF1234', dateFrom: '2024-06-01T10:00:00.000Z', fileExtension: 'wav' };
    const now = listingOf(await api(sim, 'archivefile/device', query));
    const starts = (now.files as string[]).map((n) => n.slice(15, 30));
    expect(starts.at(-1)).toBe('20240601T110000');
    expect(now.messages).toEqual([expect.stringContaining('withheld') as unknown]);
    const withheld = sim.archiveFiles({ ...query, includePending: true }).filter((f) => !f.listed);
    expect(withheld.map((f) => f.dateFrom).slice(0, 2)).toEqual([
      '2024-06-01T11:05:00.000Z',
      '2024-06-01T11:10:00.000Z',
    ]);

    clock.advance(3_600_000);
    const later = listingOf(await api(sim, 'archivefile/device', { ...query, dateTo: '2024-06-01T12:00:00.000Z' }));
    expect(later.files).toContain('ICLISTENHF1234_20240601T111000.000Z.wav');
    expect(later.messages).toBeUndefined();
    // A camera's files are not withheld.
    const camera = listingOf(
      await api(sim, 'archivefile/device', {
        deviceCode: 'AXISCAMACCC8E5D6F0B',
        dateFrom: '-PT20M',
        fileExtension: 'jpg',
      }),
    );
    expect(camera.files.length).toBeGreaterThanOrEqual(2);
  });

  it('finds by dateArchivedFrom alone exactly the files archived since, over a deployment of many years', async () => {
    const sim = await simAt(ARCHIVE_NOW);
    const since = '2024-06-01T12:00:00.000Z';
    const query = { deviceCode: 'ICLISTENHF1251', dateArchivedFrom: since, rowLimit: 100_000 };
    const started = Date.now();
    const listed = listingOf(await api(sim, 'archivefile/device', query)).files;
    expect(Date.now() - started).toBeLessThan(2000); // eleven years of files need not be walked
    // Nothing archived since noon can have started more than a day before it (the longest delay is 6 hours).
    const truth = sim
      .archiveFiles({ deviceCode: 'ICLISTENHF1251', dateFrom: '2024-05-31T12:00:00.000Z' })
      .filter((f) => f.archivedDate >= since)
      .map((f) => f.name);
    expect(truth.length).toBeGreaterThan(100);
    expect(listed).toEqual(truth);
    const deep = listingOf(
      await api(sim, 'archivefile/device', { deviceCode: 'ICLISTENHF1251', rowLimit: 1000, page: 300 }),
    );
    // 299,000 rows skipped: four files per 5-minute stamp since 2013-01-01, starting at .476 s.
    const stamp = new Date(Date.parse('2013-01-01T00:00:00.476Z') + (299_000 / 4) * 300_000).toISOString();
    expect(deep.files[0]).toBe(`ICLISTENHF1251_${stamp.replace(/[-:]/g, '')}-spect.png`);
    expect(deep.files).toHaveLength(1000);
  });

  it('puts configured warnings in messages', async () => {
    const sim = await simAt(ARCHIVE_NOW, { archive: { messages: ['Archive maintenance tonight'] } });
    expect(listingOf(await api(sim, 'archivefile/device', HYDROPHONE)).messages).toEqual([
      'Archive maintenance tonight',
    ]);
  });
});
