import { createServer, type AddressInfo, type Socket } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { OncTransientError, classifyNetworkError } from '@onc-orders/onc-client';

function withCode(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('classifyNetworkError', () => {
  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'ERR_STREAM_PREMATURE_CLOSE',
  ])('treats %s as transient', (code) => {
    const error = classifyNetworkError(withCode(code), 'download', { dpRunId: 3, index: 1 });
    expect(error).toBeInstanceOf(OncTransientError);
    expect(error?.retryable).toBe(true);
    expect(error?.message).toContain(`ONC download (dpRunId 3, index 1) failed transiently`);
    expect(error?.message).toContain(code);
  });

  it('finds the code in a cause chain and in an AggregateError', () => {
    const wrapped = new TypeError('fetch failed', { cause: withCode('ECONNRESET') });
    expect(classifyNetworkError(wrapped, 'status')?.message).toContain('ECONNRESET');
    const aggregate = new AggregateError([withCode('ECONNREFUSED')], 'connect failed');
    expect(classifyNetworkError(aggregate, 'status')?.message).toContain('ECONNREFUSED');
  });

  it('leaves aborts and unknown errors to be rethrown', () => {
    expect(classifyNetworkError(new DOMException('stop', 'AbortError'), 'run')).toBeUndefined();
    expect(
      classifyNetworkError(Object.assign(new Error('x'), { name: 'AbortError', code: 'ECONNRESET' }), 'run'),
    ).toBeUndefined();
    expect(classifyNetworkError(withCode('UND_ERR_ABORTED'), 'run')).toBeUndefined();
    expect(classifyNetworkError(new TypeError('cannot read properties of undefined'), 'run')).toBeUndefined();
    expect(classifyNetworkError(withCode('UND_ERR_CLOSED'), 'run')).toBeUndefined();
    expect(classifyNetworkError('a string', 'run')).toBeUndefined();
  });

  it('classifies a real refused connection as transient', async () => {
    const port = await closedPort();
    const error = await failureOf(request(`http://127.0.0.1:${port}/api/dataProductDelivery/status?token=secret`));
    const transient = classifyNetworkError(error, 'status', { dpRequestId: 1 });
    expect(transient?.message).toMatch(/ECONNREFUSED/);
    expect(transient?.message).not.toContain('secret');
  });

  it('leaves a real abort from the caller’s signal to be rethrown', async () => {
    // A server that accepts and never answers, so only the abort can end the request.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const controller = new AbortController();
      const pending = failureOf(request(`http://127.0.0.1:${port}/`, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 50);
      const error = await pending;
      expect(classifyNetworkError(error, 'status')).toBeUndefined();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
