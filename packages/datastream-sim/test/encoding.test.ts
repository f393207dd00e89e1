import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NOT_ENCODED_BODY, findUnencoded } from '../src/index.js';
import { bodyOf, get, getUrl, rawGet, rawRequest, startSim, statusOf, type Page } from './helpers.js';

describe('a query string that is not URL-encoded', () => {
  it('is answered 400 {"message":null} when quotes or parentheses arrive raw', async () => {
    const sim = await startSim();
    for (const query of [
      "$filter=DOI%20eq%20'10.25976/abcd-ef12'",
      '$filter=CharacteristicName%20in%20(%27pH%27)',
      '$filter=endswith(DOI,%27ef12%27)',
      '$select=Id&$filter=DOI%20eq%20"x"',
      '$filter=Name%20eq%20%27a|b%27',
      '$filter=DOI%20eq%20%2G',
    ]) {
      const raw = await rawRequest(sim, `/v1/odata/v4/Locations?${query}`);
      expect(statusOf(raw), query).toBe(400);
      expect(bodyOf(raw), query).toBe(NOT_ENCODED_BODY);
    }
    expect(sim.calls().every((c) => c.refusal === 'not-url-encoded' && c.status === 400)).toBe(true);
  });

  it('is answered the same when spaces arrive raw (the HTTP parser refuses the request line)', async () => {
    const sim = await startSim();
    const raw = await rawRequest(sim, "/v1/odata/v4/Locations?$filter=DOI eq '10.25976/abcd-ef12'");
    expect(statusOf(raw)).toBe(400);
    expect(bodyOf(raw)).toBe('{"message":null}');
    await new Promise((r) => setTimeout(r, 20));
    expect(sim.calls()).toMatchObject([
      {
        path: '/v1/odata/v4/Locations',
        resource: 'Locations',
        status: 400,
        refusal: 'not-url-encoded',
        apiKeySent: true,
      },
    ]);
    // The server keeps serving.
    expect((await get(sim, 'Locations')).status).toBe(200);
  });

  it('is caught before the key is checked, and a refused call does not use the rate budget', async () => {
    const sim = await startSim({ rateLimit: true });
    expect(statusOf(await rawRequest(sim, "/v1/odata/v4/Locations?$filter=Name%20eq%20'x'", null))).toBe(400);
    for (let i = 0; i < 3; i++) await rawRequest(sim, '/v1/odata/v4/Locations?$filter=(');
    expect((await get(sim, 'Locations')).status).toBe(200);
    expect((await get(sim, 'Locations')).status).toBe(200);
  });

  it('accepts the documented forms: raw $ in names, raw : and , in values, + for spaces', async () => {
    const sim = await startSim();
    const [id] = sim.locationIds();
    for (const query of [
      `$select=Id,DOI&$filter=LocationId+eq+${id}`,
      `$skiptoken=Id:${id}&$top=2`,
      `%24select=Id&%24filter=LocationId%20eq%20${id}`,
      `$filter=DOI%20eq%20%27${encodeURIComponent(sim.dois()[0] ?? '')}%27`,
    ]) {
      const raw = await rawRequest(sim, `/v1/odata/v4/Locations?${query}`);
      expect(statusOf(raw), query).toBe(200);
    }
  });

  it('refuses what encodeURIComponent leaves raw: fetch escapes quotes but not parentheses', async () => {
    const sim = await startSim();
    const filter = "CharacteristicName in ('pH', 'Temperature, water')";
    const lax = await getUrl(sim, `${sim.url}/Observations?$filter=${encodeURIComponent(filter)}`);
    expect(lax.status).toBe(400);
    expect(lax.text).toBe('{"message":null}');
    const strict = await get(sim, 'Observations', { $filter: filter });
    expect(strict.status).toBe(200);
    // The simulator's own next links pass its check.
    const link = (strict.json as Page)['@odata.nextLink'] ?? '';
    expect(findUnencoded(new URL(link).search.slice(1))).toBeNull();
    expect((await getUrl(sim, link)).status).toBe(200);
  });

  it('is told by findUnencoded, with the character and its position', () => {
    expect(findUnencoded("$filter=a%20eq%20'x'")).toEqual({ character: "'", position: 18 });
    expect(findUnencoded('$filter=a%2')).toEqual({ character: '%', position: 10 });
    expect(findUnencoded('$filter=caf\u00e9')).toEqual({ character: '\u00e9', position: 12 });
    expect(findUnencoded('$filter=a+eq+1&$select=Id,DOI&$skiptoken=Id:5')).toBeNull();
  });
});

describe('compression', () => {
  it('sends br when the client asks for br (as the official clients do), gzip for gzip, and nothing otherwise', async () => {
    const sim = await startSim();
    const url = `${sim.url}/Observations?$top=200`;
    const expected = JSON.stringify((await get(sim, 'Observations', { $top: 200 })).json);
    const br = await rawGet(url, { 'x-api-key': sim.apiKey, 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(expected);
    const gz = await rawGet(url, { 'x-api-key': sim.apiKey, 'Accept-Encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(expected);
    const plain = await rawGet(url, { 'x-api-key': sim.apiKey, 'Accept-Encoding': 'br;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(expected);
    const calls = sim.calls();
    expect(calls.at(-3)?.bytesSent).toBe(br.body.length);
    expect(calls.at(-1)?.bytesSent).toBe(Buffer.byteLength(expected));
    sim.configure({ compression: false });
    const off = await rawGet(url, { 'x-api-key': sim.apiKey, 'Accept-Encoding': 'br' });
    expect(off.headers['content-encoding']).toBeUndefined();
  });
});
