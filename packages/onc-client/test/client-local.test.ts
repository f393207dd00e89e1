import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OncClient, OncProtocolError, OncValidationError, type OncMethod } from '@onc-orders/onc-client';

// These cases need answers ONC (and so the simulator, which imitates it) never gives on purpose: malformed bodies
// and headers. A few lines of node:http produce them over real HTTP; everything else is tested against onc-sim.

const token = 'local-secret-token-0123456789';
const servers: Server[] = [];
const clients: OncClient[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function clientFor(baseUrl: string, extra: Partial<ConstructorParameters<typeof OncClient>[0]> = {}): OncClient {
  const client = new OncClient({ token, baseUrl, ...extra });
  clients.push(client);
  return client;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

describe('OncClient options', () => {
  it('refuses unusable options without quoting the token', () => {
    expect(() => new OncClient({ token: '' })).toThrow(OncValidationError);
    const error = (() => {
      try {
        new OncClient({ token, baseUrl: `ftp://example.org/?token=${token}`, timeoutMs: -1 });
      } catch (caught) {
        return caught as OncValidationError;
      }
      throw new Error('expected the constructor to throw');
    })();
    expect(error.issues.map((issue) => issue.field)).toEqual(['baseUrl', 'timeoutMs']);
    expect(error.message).not.toContain(token);
  });
});

describe('OncClient input validation', () => {
  it('throws OncValidationError with every issue before any HTTP call or beforeCall', async () => {
    let requestsSeen = 0;
    const calledBefore: OncMethod[] = [];
    const baseUrl = await serve((_req, res) => {
      requestsSeen += 1;
      res.end('{}');
    });
    const client = clientFor(baseUrl, {
      beforeCall: (method) => {
        calledBefore.push(method);
        return Promise.resolve();
      },
    });
    const error = await rejectionOf(client.request({ dataProductCode: 'TSSD', locationCode: 'BACAX', bogus: 'x' }));
    expect(error).toBeInstanceOf(OncValidationError);
    const validation = error as OncValidationError;
    expect(validation.field).toBe(validation.issues[0]?.field);
    expect(validation.issues.map((issue) => issue.field).sort()).toEqual(
      ['bogus', 'extension', 'locationCode/deviceCategoryCode/deviceCode/propertyCode'].sort(),
    );
    expect(validation.method).toBe('request');
    await expect(client.run(0)).rejects.toThrow(OncValidationError);
    await expect(client.status(1.5)).rejects.toThrow(/dpRequestId/);
    await expect(client.download({ dpRunId: 1, index: 0, deleteFile: false })).rejects.toThrow(/index/);
    await expect(client.download({ dpRunId: 1, index: 1, deleteFile: false, rangeStart: -1 })).rejects.toThrow(
      /rangeStart/,
    );
    expect(requestsSeen).toBe(0);
    expect(calledBefore).toEqual([]);
  });
});

describe('OncClient download answers the simulator does not give', () => {
  it('reports a 206 with its Content-Range and an RFC 6266 file name, and sends Range: bytes=N-', async () => {
    const file = Buffer.from('0123456789abcdefghij');
    let rangeSeen: string | undefined;
    const baseUrl = await serve((req, res) => {
      rangeSeen = req.headers.range;
      const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
      res.writeHead(206, {
        'content-length': String(file.length - start),
        'content-range': `bytes ${start}-${file.length - 1}/${file.length}`,
        'content-disposition': `attachment; filename="fallback.csv"; filename*=UTF-8''%E2%82%AC%20rates.csv`,
      });
      res.end(file.subarray(start));
    });
    const outcome = await clientFor(baseUrl).download({ dpRunId: 7, index: 3, deleteFile: false, rangeStart: 12 });
    expect(rangeSeen).toBe('bytes=12-');
    if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
    expect(outcome.value).toMatchObject({
      httpStatus: 206,
      fileName: '€ rates.csv',
      contentLength: 8,
      partial: { start: 12, end: 19, total: 20 },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of outcome.value.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('cdefghij');
  });
});

describe('OncClient protocol errors', () => {
  it('throws OncProtocolError for a 200 that is not JSON, without the token in the message', async () => {
    const baseUrl = await serve((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<html>login required for ${req.url ?? ''}</html>`);
    });
    const error = await rejectionOf(clientFor(baseUrl).status(12));
    expect(error).toBeInstanceOf(OncProtocolError);
    expect(error.message).toContain('ONC status (dpRequestId 12) answered HTTP 200');
    expect(error.message).toContain('token=REDACTED');
    expect(error.message).not.toContain(token);
  });

  it('throws OncProtocolError for a 206 without a usable Content-Range, and frees the connection', async () => {
    let served = 0;
    const baseUrl = await serve((_req, res) => {
      served += 1;
      res.writeHead(206, { 'content-length': '4' });
      res.end('abcd');
    });
    const client = clientFor(baseUrl);
    const error = await rejectionOf(client.download({ dpRunId: 1, index: 1, deleteFile: false, rangeStart: 2 }));
    expect(error).toBeInstanceOf(OncProtocolError);
    expect(error.message).toContain('Content-Range');
    // The destroyed body must not leave the pool stuck: the next call gets through.
    await expect(client.download({ dpRunId: 1, index: 2, deleteFile: false, rangeStart: 2 })).rejects.toThrow(
      OncProtocolError,
    );
    expect(served).toBe(2);
  });

  it('reports an outcome even when onCall throws', async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ dpRunId: 5, status: 'cancelled' }]));
    });
    const client = clientFor(baseUrl, {
      onCall: () => {
        throw new Error('metrics backend down');
      },
    });
    await expect(client.cancel(3)).resolves.toMatchObject({ kind: 'ok', value: [{ dpRunId: 5, status: 'cancelled' }] });
  });

  it('refuses calls after close', async () => {
    const client = clientFor('http://127.0.0.1:9');
    await client.close();
    await expect(client.status(1)).rejects.toThrow(/closed/);
  });
});
