import { describe, expect, it } from 'vitest';
import { defaultCatalogue, ManualClock, type OncSimulator } from '../src/index.js';
import { ARCHIVE_NOW, api, call, errorsOf, startSim } from './helpers.js';

type Selection = Record<string, string>;

/** Every selection `request` has a search type for, over the default catalogue's codes. */
function searchSelections(): Selection[] {
  const { devices, deviceCategories, properties } = defaultCatalogue;
  const locations = [...new Set(devices.map((d) => d.locationCode))];
  const out: Selection[] = [];
  for (const locationCode of locations) {
    for (const c of deviceCategories) out.push({ locationCode, deviceCategoryCode: c.deviceCategoryCode });
    for (const p of properties) out.push({ locationCode, propertyCode: p.propertyCode });
    const here = new Set(devices.filter((d) => d.locationCode === locationCode).map((d) => d.deviceCategoryCode));
    for (const deviceCategoryCode of here)
      for (const p of properties) out.push({ locationCode, deviceCategoryCode, propertyCode: p.propertyCode });
  }
  for (const d of devices) {
    out.push({ deviceCode: d.deviceCode });
    for (const p of properties) out.push({ deviceCode: d.deviceCode, propertyCode: p.propertyCode });
  }
  return out;
}

/** The product/extension pairs discovery offers for a selection ("CODE.ext"). */
async function offered(sim: OncSimulator, selection: Selection): Promise<Set<string>> {
  const r = await api(sim, 'dataProducts', selection);
  if (r.status === 404) return new Set();
  expect(r.status, JSON.stringify(selection)).toBe(200);
  return new Set(
    (r.json as { dataProductCode: string; extension: string }[]).map((p) => `${p.dataProductCode}.${p.extension}`),
  );
}

/** A day in which something matching the selection was deployed (from the deployments service), or any day. */
async function dayWithData(sim: OncSimulator, selection: Selection): Promise<{ dateFrom: string; dateTo: string }> {
  const r = await api(sim, 'deployments', selection);
  if (r.status !== 200) return { dateFrom: '2019-06-20', dateTo: '2019-06-21' };
  const begin = Date.parse((r.json as { begin: string }[])[0]?.begin ?? '');
  return { dateFrom: new Date(begin).toISOString(), dateTo: 'P1D' };
}

describe('discovery and request agree', () => {
  it('a product/extension is offered for a selection exactly when request accepts it for a day with data', async () => {
    const sim = await startSim({ clock: new ManualClock(ARCHIVE_NOW) });
    const pairs = defaultCatalogue.dataProducts.flatMap((p) =>
      p.extensions.map((e) => [p.dataProductCode, e] as const),
    );
    let accepted = 0;
    let refused = 0;
    for (const selection of searchSelections()) {
      const offers = await offered(sim, selection);
      const day = await dayWithData(sim, selection);
      for (const [dataProductCode, extension] of pairs) {
        const r = await call(sim, 'request', { ...selection, ...day, dataProductCode, extension });
        const label = `${dataProductCode}.${extension} for ${JSON.stringify(selection)}`;
        if (offers.has(`${dataProductCode}.${extension}`)) {
          expect(r.status, `${label} is offered, but request answered ${r.text}`).toBe(200);
          accepted++;
        } else {
          expect(r.status, `${label} is not offered, but request accepted it`).toBe(400);
          expect(
            errorsOf(r)
              .map((e) => e.errorCode)
              .every((code) => code === 71 || code === 33),
            label,
          ).toBe(true);
          refused++;
        }
      }
    }
    // Both sides of the equivalence were exercised, plenty.
    expect(accepted).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(1000);
  });

  it('offers what the archive holds at a location, and nothing for a category with no device there', async () => {
    const sim = await startSim({ clock: new ManualClock(ARCHIVE_NOW) });
    expect([...(await offered(sim, { locationCode: 'FGPD', deviceCategoryCode: 'HYDROPHONE' }))]).toEqual([
      'LF.txt',
      'AD.wav',
      'AD.flac',
      'AD.mp3',
      'HSD.png',
      'HSD.mat',
    ]);
    expect((await api(sim, 'dataProducts', { locationCode: 'CRIP.C1', deviceCategoryCode: 'HYDROPHONE' })).status).toBe(
      404,
    );
    const filtered = await offered(sim, {
      locationCode: 'BACAX',
      deviceCategoryCode: 'CTD',
      dataProductCode: 'TSSD',
      extension: 'csv',
    });
    expect([...filtered]).toEqual(['TSSD.csv']);
    expect(
      (
        await api(sim, 'dataProducts', {
          locationCode: 'BACAX',
          deviceCategoryCode: 'ADCP2MHZ',
          dataProductCode: 'TSSD',
        })
      ).status,
    ).toBe(404);
    const ordered = await call(sim, 'request', {
      locationCode: 'BACAX',
      deviceCategoryCode: 'ADCP2MHZ',
      dataProductCode: 'TSSD',
      extension: 'csv',
      dateFrom: '2019-06-20',
      dateTo: '2019-06-21',
    });
    expect(errorsOf(ordered)).toEqual([expect.objectContaining({ errorCode: 71, parameter: 'deviceCategoryCode' })]);
  });

  it('describes the options, which request accepts even misspelt (as ONC does: checking is discovery’s job)', async () => {
    const sim = await startSim({ clock: new ManualClock(ARCHIVE_NOW) });
    const [tssd] = (await api(sim, 'dataProducts', { dataProductCode: 'TSSD', extension: 'csv' })).json as {
      dataProductOptions: {
        option: string;
        allowableValues: string[];
        allowableRange: { onlyIntegers: boolean } | null;
      }[];
    }[];
    const byName = new Map(tssd?.dataProductOptions.map((o) => [o.option, o]));
    expect(byName.get('qualityControl')?.allowableValues).toEqual(['0', '1']);
    expect(byName.get('average')?.allowableRange?.onlyIntegers).toBe(true);
    expect(byName.has('qualityControll')).toBe(false);
    const base = {
      locationCode: 'BACAX',
      deviceCategoryCode: 'CTD',
      dataProductCode: 'TSSD',
      extension: 'csv',
      dateFrom: '2019-06-20',
      dateTo: '2019-06-21',
    };
    expect((await call(sim, 'request', { ...base, dpo_qualityControll: '1' })).status).toBe(200);
    expect((await call(sim, 'request', { ...base, dpo_average: '2.5', dpo_resample: 'sometimes' })).status).toBe(200);
  });
});
