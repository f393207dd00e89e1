import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOrderEvents, parseEnvironment, schema, type OpenedDatabase } from '../src/index.js';
import { inWriteTransaction } from '../src/db/write-transaction.js';
import { openTestState, type TestState } from './support/test-state.js';
import { transitionOrder } from '../src/state/transition.js';

describe('the webhook outbox', () => {
  let state: TestState;
  let database: OpenedDatabase;
  const deliveries = () => database.db.select().from(schema.webhookDeliveries);
  async function insertOrder(id: string, notify: unknown): Promise<void> {
    await inWriteTransaction(database.db, (tx) =>
      tx.insert(schema.orders).values({
        id,
        status: 'running',
        spec: '{}',
        submittedSpec: '{}',
        productCount: 0,
        notify: notify === null ? null : JSON.stringify(notify),
      }),
    );
  }
  beforeEach(async () => {
    state = await openTestState('outbox');
    database = state.database;
  });
  afterEach(() => state.close());

  it('gets a delivery in the transaction that ends the order, and none if that transaction rolls back', async () => {
    await insertOrder('o1', { url: 'https://hooks.example.org/x?k=1', events: ['order.cancelled', 'order.completed'] });
    await expect(
      inWriteTransaction(database.db, async (tx) => {
        await transitionOrder(tx, 'o1', 'cancelled', { reason: 'by request' });
        throw new Error('something after the cancel failed');
      }),
    ).rejects.toThrow(/after the cancel/);
    expect(await deliveries()).toEqual([]);
    expect(await getOrderEvents(database.db, 'o1')).toEqual([]);

    await transitionOrder(database.db, 'o1', 'cancelled', { reason: 'by request' });
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ eventType: 'order.cancelled', status: 'pending', attempts: 0 });
    expect(delivery?.url).toBe('https://hooks.example.org/x?k=1');
    expect(JSON.parse(delivery?.payload ?? '{}')).toMatchObject({
      type: 'order.cancelled',
      data: { id: 'o1', status: 'cancelled' },
    });
    // The history names the receiver by its origin only: a query string may carry the receiver's own token.
    const webhookEvents = (await getOrderEvents(database.db, 'o1')).filter((event) => event.kind === 'webhook');
    expect(webhookEvents.map((event) => event.reason)).toEqual([
      `order.cancelled delivery ${delivery?.webhookId} to https://hooks.example.org queued`,
    ]);
  });

  it('queues nothing for a transition that ends nothing, an end not asked for, or an order without notify', async () => {
    await insertOrder('o2', { url: 'https://hooks.example.org/x', events: ['order.failed'] });
    await insertOrder('o3', null);
    await transitionOrder(database.db, 'o2', 'completed', { reason: 'done' });
    await transitionOrder(database.db, 'o2', 'queued', { reason: 'restarted' });
    await transitionOrder(database.db, 'o2', 'running', { reason: 'started' });
    await transitionOrder(database.db, 'o3', 'failed', { reason: 'broke' });
    expect(await deliveries()).toEqual([]);
    await transitionOrder(database.db, 'o2', 'failed', { reason: 'broke' });
    // A status an order already has is no change: no second delivery.
    await transitionOrder(database.db, 'o2', 'failed', { reason: 'broke again' });
    expect((await deliveries()).map((row) => [row.orderId, row.eventType])).toEqual([['o2', 'order.failed']]);
  });
});

describe('the webhook settings', () => {
  it('refuse WEBHOOK_URL without a secret, a bad whsec_ secret and a URL with a password, never echoing the secret', () => {
    expect(() => parseEnvironment({ WEBHOOK_URL: 'https://hooks.example.org/x' })).toThrow(
      /WEBHOOK_SECRET: must be set when WEBHOOK_URL is/,
    );
    expect(() => parseEnvironment({ WEBHOOK_SECRET: 'whsec_not base64!' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => parseEnvironment({ WEBHOOK_SECRET: 'whsec_not base64!' })).not.toThrow(/not base64!/);
    expect(() => parseEnvironment({ WEBHOOK_URL: 'https://u:p@hooks.example.org/', WEBHOOK_SECRET: 's' })).toThrow(
      /WEBHOOK_URL: must not hold a user name or password/,
    );
    const environment = parseEnvironment({ WEBHOOK_URL: 'https://hooks.example.org/x', WEBHOOK_SECRET: 'raw text' });
    expect(environment).toMatchObject({ WEBHOOK_MAX_ATTEMPTS: 10, WEBHOOK_SECRET: 'raw text' });
  });
});
