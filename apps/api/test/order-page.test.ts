import type { AddressInfo } from 'node:net';
import type { OrderView } from '@onc-orders/jobs';
import { waitFor } from '@onc-orders/testkit';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiServer } from '../src/api-server.js';
import { inlineOrderReads } from '../src/reads/inline-order-reads.js';
import { addOrderStreamRoute } from '../src/routes/order-stream-route.js';
import { oneProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const key = 'page-key';
const basic = (password: string) => `Basic ${Buffer.from(`someone:${password}`).toString('base64')}`;

/** Reads server-sent events from a stream until `until` says stop or the stream ends. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  until: (events: Array<{ event: string; data: string }>) => boolean = () => false,
): Promise<{ events: Array<{ event: string; data: string }>; ended: boolean }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const events: Array<{ event: string; data: string }> = [];
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events, ended: true };
    buffered += value;
    let boundary = buffered.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffered.slice(0, boundary);
      buffered = buffered.slice(boundary + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) events.push({ event, data });
      boundary = buffered.indexOf('\n\n');
    }
    if (until(events)) {
      await reader.cancel();
      return { events, ended: false };
    }
  }
}

describe('the order page', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.close();
  });

  it('asks a browser for the key with Basic at / and at an order page, then serves the page with a strict CSP', async () => {
    api = await startTestApi({ apiKeys: [key] });
    for (const url of ['/', '/orders/any/page', '/ui/order-page.js']) {
      const refused = await api.app.inject({ method: 'GET', url });
      expect(refused.statusCode, url).toBe(401);
      expect(refused.headers['www-authenticate'], url).toMatch(/^Basic realm=/);
    }
    // The page's own fetches of API routes are challenged with Basic too, so the browser answers with its key.
    const fetchFromPage = await api.app.inject({
      method: 'GET',
      url: '/orders',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(fetchFromPage.headers['www-authenticate']).toMatch(/^Basic realm=/);
    const fromClient = await api.app.inject({ method: 'GET', url: '/orders' });
    expect(fromClient.headers['www-authenticate']).toMatch(/^Bearer realm=/);

    const page = await api.app.inject({ method: 'GET', url: '/', headers: { authorization: basic(key) } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('/ui/order-page.js');
    const script = await api.app.inject({
      method: 'GET',
      url: '/ui/order-page.js',
      headers: { authorization: basic(key) },
    });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    // Data is shown as text: the script never hands a string to the HTML parser.
    expect(script.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    const unknownAsset = await api.app.inject({
      method: 'GET',
      url: '/ui/secrets.txt',
      headers: { authorization: basic(key) },
    });
    expect(unknownAsset.statusCode).toBe(400);
  });
});

describe('GET /orders/:id/stream', () => {
  let api: TestApi;
  afterEach(async () => {
    await api.close();
  });

  const listen = async () => {
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  };
  const openConnections = () =>
    new Promise<number>((resolve, reject) =>
      api.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  it('sends the order at once, then each change, and ends once the order has ended', async () => {
    api = await startTestApi();
    const url = await listen();
    const order = (
      await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() })
    ).json<OrderView>();

    const answer = await fetch(`${url}/orders/${order.id}/stream`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/event-stream/);
    if (!answer.body) throw new Error('no body');
    const reading = readEvents(answer.body);
    await waitFor('the first event to be sent', async () => ((await openConnections()) === 1 ? true : undefined));
    await api.app.inject({ method: 'POST', url: `/orders/${order.id}/cancel` });
    const { events, ended } = await reading;

    expect(ended).toBe(true);
    const orders = events
      .filter((event) => event.event === 'order')
      .map((event) => JSON.parse(event.data) as OrderView);
    expect(orders.map((view) => view.status)).toEqual(['queued', 'cancelled']);
    expect(orders[0]).toMatchObject({ id: order.id, progress: { filesTotal: 0 } });
    expect(orders[0]).not.toHaveProperty('products');
    expect(events.at(-1)).toEqual({ event: 'end', data: JSON.stringify({ status: 'cancelled' }) });

    // An ended order's stream sends it once and ends straight away.
    const again = await fetch(`${url}/orders/${order.id}/stream`);
    if (!again.body) throw new Error('no body');
    const replay = await readEvents(again.body);
    expect(replay.events.map((event) => event.event)).toEqual(['order', 'end']);
    expect((await fetch(`${url}/orders/nope/stream`)).status).toBe(404);
  });

  it('stops looking at the order when the client goes away, and does not hold the API open when it closes', async () => {
    api = await startTestApi();
    const order = (
      await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() })
    ).json<OrderView>();
    // The route alone on an app of its own, to count its open streams.
    const app: ApiServer = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const reads = inlineOrderReads(api.deps.db, api.deps.sources);
    const streams = addOrderStreamRoute(app, { ...api.deps, reads }, { intervalMs: 50 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const leaving = new AbortController();
      const answer = await fetch(`${url}/orders/${order.id}/stream`, { signal: leaving.signal });
      if (!answer.body) throw new Error('no body');
      const first = await readEvents(answer.body, (events) => events.length > 0);
      expect(first.events[0]?.event).toBe('order');
      expect(streams.openStreams()).toBe(1);
      leaving.abort();
      await waitFor('the stream to be let go', () => (streams.openStreams() === 0 ? true : undefined));

      const staying = await fetch(`${url}/orders/${order.id}/stream`);
      if (!staying.body) throw new Error('no body');
      const reading = readEvents(staying.body);
      await waitFor('the stream to open', () => (streams.openStreams() === 1 ? true : undefined));
      const closedAt = Date.now();
      await app.close();
      expect(Date.now() - closedAt).toBeLessThan(2_000);
      expect((await reading).ended).toBe(true);
      expect(streams.openStreams()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
