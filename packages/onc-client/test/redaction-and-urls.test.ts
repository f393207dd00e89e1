import { describe, expect, it } from 'vitest';
import { buildCallUrl, redactToken } from '@onc-orders/onc-client';

const token = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';

describe('redactToken', () => {
  it('replaces token query values even without knowing the token', () => {
    expect(redactToken('https://x/api?method=run&token=abc123&dpRequestId=1')).toBe(
      'https://x/api?method=run&token=REDACTED&dpRequestId=1',
    );
    expect(redactToken('GET /api/dataProductDelivery/run?TOKEN=abc#frag')).toBe(
      'GET /api/dataProductDelivery/run?token=REDACTED#frag',
    );
  });

  it('leaves longer parameter names that end in "token" alone', () => {
    expect(redactToken('?dpo_token=keep&token=drop')).toBe('?dpo_token=keep&token=REDACTED');
  });

  it('replaces literal occurrences of the token anywhere, raw and encoded', () => {
    const spaced = 'has space+plus/slash';
    expect(redactToken(`error near ${token}: bad`, token)).toBe('error near REDACTED: bad');
    const encoded = new URLSearchParams({ token: spaced }).toString();
    expect(redactToken(`x ${encodeURIComponent(spaced)} y ${spaced} z ${encoded.slice(6)}`, spaced)).toBe(
      'x REDACTED y REDACTED z REDACTED',
    );
  });

  it('ignores an empty token instead of mangling the text', () => {
    expect(redactToken('plain text', '')).toBe('plain text');
  });
});

describe('buildCallUrl', () => {
  it('builds the path form the current Python client uses', () => {
    const url = buildCallUrl({
      baseUrl: 'https://data.oceannetworks.ca/',
      urlStyle: 'path',
      method: 'download',
      token,
      params: { dpRunId: '5968038', index: 'meta', deleteFile: 'false' },
    });
    expect(url).toBe(
      `https://data.oceannetworks.ca/api/dataProductDelivery/download?token=${token}&dpRunId=5968038&index=meta&deleteFile=false`,
    );
  });

  it('builds the documented method form', () => {
    const url = new URL(
      buildCallUrl({
        baseUrl: 'http://127.0.0.1:9',
        urlStyle: 'method',
        method: 'run',
        token,
        params: { dpRequestId: '7' },
      }),
    );
    expect(url.pathname).toBe('/api/dataProductDelivery');
    expect(Object.fromEntries(url.searchParams)).toEqual({ method: 'run', token, dpRequestId: '7' });
  });

  it('encodes values so filters cannot inject parameters', () => {
    const url = new URL(
      buildCallUrl({
        baseUrl: 'http://h',
        urlStyle: 'path',
        method: 'request',
        token,
        params: { locationCode: 'A&token=evil', dateFrom: '-P1DT1H' },
      }),
    );
    expect(url.searchParams.getAll('token')).toEqual([token]);
    expect(url.searchParams.get('locationCode')).toBe('A&token=evil');
    expect(url.searchParams.get('dateFrom')).toBe('-P1DT1H');
  });
});
