import { openDatabase } from '@onc-orders/jobs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from './support/log-capture.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('unexpected errors', () => {
  let api: TestApi;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    logs = captureLogs();
    api = await startTestApi({ logger: logs.logger });
  });
  afterEach(async () => {
    await api.close();
  });

  it('answers 500 with no detail, and logs the error in full', async () => {
    const closed = openDatabase(':memory:');
    closed.close();
    const app = await api.buildVariant({ db: closed.db });

    const response = await app.inject({ method: 'GET', url: '/orders' });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'internal error' });
    expect(logs.text()).toContain('request failed');
    expect(logs.text()).toContain('The database connection is not open');
  });

  it('answers 404 with a JSON body for an unknown route', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/no-such-route' });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'not found' });
  });
});
