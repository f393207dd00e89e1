import {
  cancelOrder,
  getOrderEvents,
  OrderSpecError,
  restartOrder,
  schema,
  sendDueWebhooks,
  startWebhookSender,
  submitOrder,
  type WebhookBody,
  type WebhookSenderSettings,
} from '@onc-orders/jobs';
import {
  closedPort,
  ctdAtBarkleyCanyon,
  startWebhookReceiver,
  waitFor,
  type WebhookReceiver,
} from '@onc-orders/testkit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';
import { rawRows } from '@onc-orders/testkit';

const secret = `whsec_${Buffer.from('a test key of thirty-two bytes!!').toString('base64')}`;
const logger = pino({ level: 'silent' });
const settings: WebhookSenderSettings = {
  secret,
  maxAttempts: 10,
  retryBaseMs: 100,
  retryMaxMs: 800,
  timeoutMs: 2_000,
  pollIntervalMs: 50,
};

async function webhookEvents(harness: PipelineHarness, orderId: string) {
  return (await getOrderEvents(harness.database.db, orderId)).filter((event) => event.kind === 'webhook');
}

interface DeliveryRow {
  webhookId: string;
  status: string;
  attempts: number;
}

function deliveriesOf(harness: PipelineHarness, orderId: string): Promise<DeliveryRow[]> {
  return rawRows<DeliveryRow>(
    harness.database,
    'SELECT webhook_id AS "webhookId", status, attempts FROM webhook_deliveries WHERE order_id = ? ORDER BY id',
    orderId,
  );
}

describe('webhooks of an order that ends', () => {
  let harness: PipelineHarness | undefined;
  let receiver: WebhookReceiver | undefined;
  let sender: { stop: () => Promise<void> } | undefined;
  afterEach(async () => {
    await sender?.stop();
    await receiver?.close();
    await harness?.close();
    harness = undefined;
    receiver = undefined;
    sender = undefined;
  });

  it('announces order.completed once, signed, with the summary and no credential', async () => {
    harness = await startPipelineHarness();
    receiver = await startWebhookReceiver({ secret });
    await harness.startWorkers();
    sender = startWebhookSender(harness.database.db, settings, logger);
    const orderId = await harness.submit({
      filters: ctdAtBarkleyCanyon,
      label: 'hooked',
      notify: { url: receiver.url },
    });
    expect((await harness.view(orderId))?.notify).toEqual({
      url: receiver.url,
      events: ['order.completed', 'order.failed', 'order.cancelled'],
    });
    const done = await harness.waitForOrder(orderId);
    expect(done.status).toBe('completed');
    // The source's spec never saw `notify`: it is the core's, stored beside the spec.
    expect(done.spec).not.toHaveProperty('notify');

    const got = await waitFor('the webhook', () => receiver?.received[0]);
    expect(got.verified).toBe(true);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.id).toMatch(/^msg_/);
    expect(Math.abs(Number(got.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(got.body) as WebhookBody;
    expect(body.type).toBe('order.completed');
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
    expect(body.data).toMatchObject({
      id: orderId,
      source: 'onc-data-products',
      label: 'hooked',
      status: 'completed',
      error: null,
      productCount: 1,
    });
    const filesOnDisk = done.products[0]?.files.filter((file) => file.status === 'complete').length ?? 0;
    expect(filesOnDisk).toBeGreaterThan(0);
    expect(body.data.progress.filesComplete).toBe(filesOnDisk);
    expect(body.data.progress.products).toEqual({ complete: 1 });
    expect(body.data.progress.bytesDownloaded).toBe(
      done.products[0]?.files.reduce((sum, file) => sum + file.bytesDownloaded, 0),
    );
    expect(got.body).not.toContain(harness.sim.token);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
    const history = (await webhookEvents(harness, orderId)).map((event) => event.reason);
    expect(history).toEqual([
      expect.stringMatching(new RegExp(`^order.completed delivery ${got.id} to http://127.0.0.1:\\d+ queued$`)),
      `order.completed delivery ${got.id}, try 1 of 10: delivered (HTTP 200)`,
    ]);
  });

  it('keeps trying a receiver that is down, then answers 503, until it takes it: once, with one webhook-id', async () => {
    harness = await startPipelineHarness();
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/hooks/orders`;
    await harness.startWorkers();
    sender = startWebhookSender(harness.database.db, settings, logger);
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, notify: { url, events: ['order.completed'] } });
    await harness.waitForOrder(orderId);

    // Down: the port is closed for two tries at least.
    await waitFor('two refused tries', async () => {
      const refused = (await webhookEvents(harness!, orderId)).filter((event) =>
        /connection refused/.test(event.reason ?? ''),
      );
      return refused.length >= 2 ? refused : undefined;
    });
    // Up, but not well: two 503s, then 200.
    receiver = await startWebhookReceiver({ secret, port, answer: (index) => (index < 2 ? 503 : 200) });
    const [delivery] = await waitFor('the delivery to be taken', async () => {
      const rows = await deliveriesOf(harness!, orderId);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(receiver.received.map((got) => got.answered)).toEqual([503, 503, 200]);
    expect(receiver.received.every((got) => got.verified)).toBe(true);
    expect(new Set(receiver.received.map((got) => got.id))).toEqual(new Set([delivery?.webhookId]));
    expect(new Set(receiver.received.map((got) => got.body)).size).toBe(1);
    const tries = (await webhookEvents(harness, orderId)).slice(1);
    expect(delivery?.attempts).toBe(tries.length);
    expect(tries.at(-1)?.reason).toBe(
      `order.completed delivery ${delivery?.webhookId}, try ${tries.length} of 10: delivered (HTTP 200)`,
    );
    expect(tries.filter((event) => /HTTP 503; next try at \d{4}-/.test(event.reason ?? ''))).toHaveLength(2);
    expect(
      tries.slice(0, -3).every((event) => /connection refused \(ECONNREFUSED\); next try at/.test(event.reason ?? '')),
    ).toBe(true);
    // The waits grew: each try came later after the one before than the first wait.
    const times = tries.map((event) => Date.parse(event.at));
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(settings.retryBaseMs);
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS tries, each in the history', async () => {
    harness = await startPipelineHarness();
    receiver = await startWebhookReceiver({ secret, answer: () => 500 });
    await harness.startWorkers();
    const bounded = { ...settings, maxAttempts: 3, retryBaseMs: 20, retryMaxMs: 40 };
    sender = startWebhookSender(harness.database.db, bounded, logger);
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, notify: { url: receiver.url } });
    await harness.waitForOrder(orderId);
    await waitFor('the delivery to be given up', async () =>
      (await deliveriesOf(harness!, orderId))[0]?.status === 'failed' ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.map((got) => got.answered)).toEqual([500, 500, 500]);
    expect((await webhookEvents(harness, orderId)).at(-1)?.reason).toMatch(/try 3 of 3: HTTP 500; given up$/);
  });

  it('announces a cancel, and after a restart the next end with a new webhook-id; other ends only when asked', async () => {
    harness = await startPipelineHarness({ sim: { behaviour: { runningMs: 1_500 } } });
    receiver = await startWebhookReceiver({ secret });
    await harness.startWorkers();
    sender = startWebhookSender(harness.database.db, settings, logger);
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, notify: { url: receiver.url } });
    await waitFor('the order to run', async () =>
      (await harness?.view(orderId))?.status === 'running' ? true : undefined,
    );
    expect(await cancelOrder(harness.control, orderId)).toBe('cancelled');
    const cancelled = await waitFor('order.cancelled', () => receiver?.received[0]);
    expect((JSON.parse(cancelled.body) as WebhookBody).type).toBe('order.cancelled');

    expect(await restartOrder(harness.control, orderId)).toBe('restarted');
    await harness.waitForOrder(orderId, ['completed']);
    const completed = await waitFor('order.completed', () => receiver?.received[1]);
    const body = JSON.parse(completed.body) as WebhookBody;
    expect(body.type).toBe('order.completed');
    expect(completed.verified).toBe(true);
    expect(completed.id).not.toBe(cancelled.id);
    // The receiver has the body before the sender records its answer.
    const recorded = await waitFor('both tries to be recorded', async () => {
      const statuses = (await deliveriesOf(harness!, orderId)).map((row) => row.status);
      return statuses.includes('pending') ? undefined : statuses;
    });
    expect(recorded).toEqual(['delivered', 'delivered']);

    // An order that asks only for failures is not announced when it completes.
    const quiet = await harness.submit({
      filters: ctdAtBarkleyCanyon,
      notify: { url: receiver.url, events: ['order.failed'] },
    });
    await harness.waitForOrder(quiet, ['completed']);
    expect(await deliveriesOf(harness, quiet)).toEqual([]);
  });

  it('announces order.failed when the service refuses the whole order', async () => {
    harness = await startPipelineHarness({
      sim: { tokens: ['the-only-token'] },
      onc: { ONC_TOKEN: 'not-the-token' },
    });
    receiver = await startWebhookReceiver({ secret });
    await harness.startWorkers();
    sender = startWebhookSender(harness.database.db, settings, logger);
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, notify: { url: receiver.url } });
    const failed = await harness.waitForOrder(orderId);
    expect(failed.status).toBe('failed');
    const got = await waitFor('order.failed', () => receiver?.received[0]);
    const body = JSON.parse(got.body) as WebhookBody;
    expect(body).toMatchObject({ type: 'order.failed', data: { status: 'failed', error: failed.error } });
    expect(got.body).not.toContain('not-the-token');
  });

  it('sends a due delivery from one of two senders at once, never both', async () => {
    harness = await startPipelineHarness();
    receiver = await startWebhookReceiver({ secret });
    await harness.startWorkers();
    const orderId = await harness.submit({ filters: ctdAtBarkleyCanyon, notify: { url: receiver.url } });
    await harness.waitForOrder(orderId);
    const db = harness.database.db;
    const tries = await Promise.all([
      sendDueWebhooks(db, settings, logger, 'worker-a'),
      sendDueWebhooks(db, settings, logger, 'worker-b'),
    ]);
    expect(tries.sort()).toEqual([0, 1]);
    expect(receiver.received).toHaveLength(1);
    expect(await sendDueWebhooks(db, settings, logger, 'worker-c')).toBe(0);
  });
});

describe('notify in an order spec', () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function refusal(spec: unknown): Promise<Array<{ field: string; message: string }>> {
    const error = await harness!.submit(spec).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrderSpecError);
    return (error as OrderSpecError).issues;
  }

  it('is refused naming the field: not http(s), a password in the URL, an unknown event, an unknown key', async () => {
    harness = await startPipelineHarness();
    const filters = ctdAtBarkleyCanyon;
    expect(await refusal({ filters, notify: { url: 'ftp://example.org/x' } })).toEqual([
      { field: 'notify.url', message: 'must be an http or https URL' },
    ]);
    const withPassword = await refusal({ filters, notify: { url: 'https://me:hunter2@example.org/x' } });
    expect(withPassword.map((issue) => issue.field)).toEqual(['notify.url']);
    expect(withPassword[0]?.message).toMatch(/user name or password/);
    expect(withPassword[0]?.message).not.toContain('hunter2');
    const unknownEvent = await refusal({ filters, notify: { url: 'https://example.org/x', events: ['order.done'] } });
    expect(unknownEvent.map((issue) => issue.field)).toEqual(['notify.events.0']);
    expect(await refusal({ filters, notify: { url: 'https://example.org/x', secret: 'x' } })).toEqual([
      { field: 'notify.secret', message: 'is not a known field' },
    ]);
    // Bad fields of notify and of the source's own are named together.
    const both = await refusal({ filters: { extension: 'csv' }, notify: { url: 'not a url' } });
    expect(both.map((issue) => issue.field)).toEqual(['notify.url', 'filters.dataProductCode']);
    const rows = await harness.database.db.select().from(schema.orders);
    expect(rows).toEqual([]);
  });

  it('defaults to WEBHOOK_URL for every end, and a retried submission must name the same notify', async () => {
    harness = await startPipelineHarness();
    const deps = {
      db: harness.database.db,
      queues: harness.queues,
      sources: harness.ctx.sources,
      maxProductsPerOrder: 100,
      defaultWebhookUrl: 'https://hooks.example.org/orders',
    };
    const first = await submitOrder(deps, { filters: ctdAtBarkleyCanyon }, { idempotencyKey: 'k1' });
    expect((await harness.view(first.orderId))?.notify).toEqual({
      url: 'https://hooks.example.org/orders',
      events: ['order.completed', 'order.failed', 'order.cancelled'],
    });
    const again = await submitOrder(deps, { filters: ctdAtBarkleyCanyon }, { idempotencyKey: 'k1' });
    expect(again).toMatchObject({ orderId: first.orderId, created: false });
    await expect(
      submitOrder(
        deps,
        { filters: ctdAtBarkleyCanyon, notify: { url: 'https://other.example.org/' } },
        {
          idempotencyKey: 'k1',
        },
      ),
    ).rejects.toThrow(/k1/);
    const own = await submitOrder(deps, {
      filters: ctdAtBarkleyCanyon,
      notify: { url: 'https://mine.example.org/h', events: ['order.failed'] },
    });
    expect((await harness.view(own.orderId))?.notify).toEqual({
      url: 'https://mine.example.org/h',
      events: ['order.failed'],
    });
    const none = await submitOrder({ ...deps, defaultWebhookUrl: undefined }, { filters: ctdAtBarkleyCanyon });
    expect((await harness.view(none.orderId))?.notify).toBeNull();
  });
});
