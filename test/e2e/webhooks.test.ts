import { readFile } from 'node:fs/promises';
import { getOrderEvents, type OrderView } from '@onc-orders/jobs';
import {
  closedPort,
  ctdAtBarkleyCanyon,
  startWebhookReceiver,
  waitFor,
  type WebhookReceiver,
} from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

// A raw secret (not whsec_): the receiver takes its bytes as they are, as Standard Webhooks says.
const secret = 'an e2e webhook secret that must never be logged';

describe('webhooks with real processes', () => {
  let harness: SystemHarness | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    await harness?.close();
    harness = undefined;
    receiver = undefined;
  });

  it('announces order.completed to WEBHOOK_URL once, signed, after the receiver was down and then answered 503', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/hooks/orders`;
    harness = await startSystemHarness({
      env: {
        WEBHOOK_URL: url,
        WEBHOOK_SECRET: secret,
        WEBHOOK_RETRY_BASE_MS: '200',
        WEBHOOK_RETRY_MAX_MS: '1000',
        WEBHOOK_POLL_MS: '100',
      },
    });
    const api = await harness.startApi();
    const workers = [harness.startWorker({}, 'worker-a'), harness.startWorker({}, 'worker-b')];
    const answer = await fetch(`${api.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filters: ctdAtBarkleyCanyon, label: 'e2e webhook' }),
    });
    expect(answer.status).toBe(201);
    const submitted = (await answer.json()) as OrderView;
    expect(submitted.notify).toEqual({ url, events: ['order.completed', 'order.failed', 'order.cancelled'] });
    const orderId = submitted.id;
    const done = await harness.waitForOrder(orderId);
    expect(done.status).toBe('completed');

    const tries = async () =>
      (await getOrderEvents(harness!.database.db, orderId)).filter(
        (event) => event.kind === 'webhook' && /, try \d+ of 10: /.test(event.reason ?? ''),
      );
    await waitFor('two tries at the closed port', async () => ((await tries()).length >= 2 ? true : undefined), {
      timeoutMs: 20_000,
    });
    receiver = await startWebhookReceiver({ secret, port, answer: (index) => (index === 0 ? 503 : 200) });
    await waitFor('the delivery', () => receiver?.received.find((got) => got.answered === 200), {
      timeoutMs: 20_000,
    });
    // Long enough for a second sender to have sent it again, had the leases let it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(receiver.received.map((got) => got.answered)).toEqual([503, 200]);
    expect(receiver.received.every((got) => got.verified)).toBe(true);
    const ids = new Set(receiver.received.map((got) => got.id));
    expect(ids.size).toBe(1);
    const body = JSON.parse(receiver.received[1]?.body ?? '{}') as {
      type: string;
      data: { id: string; status: string; label: string; progress: { filesComplete: number } };
    };
    expect(body.type).toBe('order.completed');
    expect(body.data).toMatchObject({ id: orderId, status: 'completed', label: 'e2e webhook' });
    expect(body.data.progress.filesComplete).toBe(
      done.products.flatMap((product) => product.files).filter((file) => file.status === 'complete').length,
    );
    expect(receiver.received[1]?.body).not.toContain(harness.sim.token);

    const history = (await tries()).map((event) => event.reason ?? '');
    expect(history.at(-1)).toMatch(/: delivered \(HTTP 200\)$/);
    expect(history.filter((reason) => /connection refused/.test(reason)).length).toBeGreaterThanOrEqual(2);
    expect(history.filter((reason) => /HTTP 503; next try at/.test(reason))).toHaveLength(1);
    expect(history.every((reason) => reason.includes([...ids][0] ?? '?'))).toBe(true);

    // The secret is in no process's log.
    for (const process of [api.process, ...workers]) {
      expect(await readFile(process.logPath, 'utf8')).not.toContain(secret);
    }
  });
});
