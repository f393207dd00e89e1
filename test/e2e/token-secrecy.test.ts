import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storedStateContains } from '../support/stored-state.js';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

describe('the ONC token', () => {
  let harness: SystemHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('appears in no log line, API answer or database, even with debug logs and failures', async () => {
    const token = 'tok-3f9a1c77-secret-do-not-leak';
    harness = await startSystemHarness({
      sim: { tokens: [token], behaviour: { filesPerRun: 2 } },
      env: { ONC_TOKEN: token, LOG_LEVEL: 'trace' },
    });
    harness.sim.injectFault({
      methods: ['request', 'status', 'download'],
      times: 3,
      action: { kind: 'status', status: 500 },
    });
    harness.sim.injectFault({ methods: ['download'], times: 1, action: { kind: 'reset' } });
    const { url } = await harness.startApi({ LOG_LEVEL: 'trace' });
    harness.startWorker();
    const submitted = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        filters: {
          dataProductCode: 'TSSD',
          extension: 'csv',
          locationCode: ['BACAX', 'NOSUCHPLACE'],
          deviceCategoryCode: 'CTD',
          dateFrom: '2016-07-25',
          dateTo: '2016-07-26',
        },
      }),
    });
    const { id } = (await submitted.json()) as { id: string };
    const order = await harness.waitForOrder(id);
    expect(order.status).toBe('failed');

    const answers = [
      await (await fetch(`${url}/orders/${id}`)).text(),
      await (await fetch(`${url}/orders/${id}/events`)).text(),
      await (await fetch(`${url}/orders`)).text(),
    ];
    for (const answer of answers) expect(answer).not.toContain(token);
    for (const process of harness.processes) await process.kill('SIGTERM');
    const logs = (await readdir(harness.dir)).filter((name) => name.endsWith('.log'));
    expect(logs.length).toBe(2);
    let logText = '';
    for (const name of logs) logText += await readFile(join(harness.dir, name), 'utf8');
    expect(logText).toContain('REDACTED');
    expect(logText).not.toContain(token);
    expect(await storedStateContains(harness.database, token)).toBe(false);
    expect(harness.sim.calls().some((call) => call.url.includes(token))).toBe(false);
  });
});
