import { readFile } from 'node:fs/promises';
import { closedPort, makeTempDir, redisUrlForTests } from '@onc-orders/testkit';
import { describe, expect, it } from 'vitest';
import { startApp } from '../support/processes.js';

/** The password of DATABASE_URL: handed to the driver only, never written to a log line or an error. */
describe('the password in DATABASE_URL', () => {
  const password = 'pw-71c3e0-never-in-a-log';

  it('is in no line of an API that cannot reach its database, which exits naming the problem', async () => {
    const temp = await makeTempDir('database-url');
    try {
      const api = startApp(
        'api',
        {
          REDIS_URL: await redisUrlForTests(),
          DATABASE_URL: `postgres://onc:${password}@127.0.0.1:${await closedPort()}/onc_orders`,
          PORT: '0',
          LOG_LEVEL: 'trace',
        },
        temp.path,
      );
      expect((await api.exited).code).toBe(1);
      const log = await readFile(api.logPath, 'utf8');
      expect(log).toMatch(/ECONNREFUSED/);
      expect(log).not.toContain(password);
    } finally {
      await temp.remove();
    }
  });
});
