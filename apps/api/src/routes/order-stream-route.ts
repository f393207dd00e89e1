import type { ServerResponse } from 'node:http';
import { getOrderView, type OrderView } from '@onc-orders/jobs';
import type { ApiServer } from '../api-server.js';
import type { AppDependencies } from '../app-dependencies.js';
import { OrderNotFoundError } from '../errors/order-not-found-error.js';
import { errorBodySchema } from '../schemas/error-body-schema.js';
import { orderIdParamsSchema } from '../schemas/order-schemas.js';

const endedStatuses: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export interface OrderStreamOptions {
  /** How often the order is looked at, in ms. Default 1,000. */
  intervalMs?: number;
  /** A comment is sent after this long without news, so proxies keep the stream open. Default 15,000. */
  keepAliveMs?: number;
}

/** The order as the stream sends it: its summary and progress, without its products. */
function snapshotOf(view: OrderView): string {
  const { products: _products, spec: _spec, ...summary } = view;
  return JSON.stringify(summary);
}

/**
 * `GET /orders/:id/stream`: server-sent events with the order's summary and progress, each time they change
 * (looked at every second), for the order page's live view. The stream ends when the order ends (after sending it
 * once as it ended), when the client goes away, and when the API closes. `openStreams` counts the streams open.
 */
export function addOrderStreamRoute(
  app: ApiServer,
  deps: AppDependencies,
  options: OrderStreamOptions = {},
): { openStreams: () => number } {
  const intervalMs = options.intervalMs ?? 1_000;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const open = new Set<() => void>();
  // Without this, closing the API would wait for every open stream's client to leave.
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });

  app.get(
    '/orders/:id/stream',
    {
      schema: {
        summary: "The order's summary and progress as server-sent events, while it runs",
        description:
          'An `order` event with the summary and progress (the order view without products and spec) at once, then ' +
          'each time they change; an `end` event once the order has ended, and the stream closes.',
        params: orderIdParamsSchema,
        produces: ['text/event-stream'],
        response: { 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const orderId = request.params.id;
      const first = await getOrderView(deps.db, deps.sources, orderId, { productLimit: 0 });
      if (!first) throw new OrderNotFoundError(orderId);
      reply.hijack();
      const raw: ServerResponse = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // Buffering proxies (nginx) would hold the events back.
        'x-accel-buffering': 'no',
      });
      let last = '';
      let lastWriteAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const end = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        open.delete(end);
        if (!raw.writableEnded) raw.end();
      };
      open.add(end);
      raw.on('close', end);
      raw.write('retry: 2000\n\n');
      const send = (view: OrderView) => {
        const snapshot = snapshotOf(view);
        if (snapshot !== last) {
          last = snapshot;
          raw.write(`event: order\ndata: ${snapshot}\n\n`);
          lastWriteAt = Date.now();
        } else if (Date.now() - lastWriteAt >= keepAliveMs) {
          raw.write(': still here\n\n');
          lastWriteAt = Date.now();
        }
        if (endedStatuses.has(view.status)) {
          raw.write(`event: end\ndata: ${JSON.stringify({ status: view.status })}\n\n`);
          end();
          return;
        }
        timer = setTimeout(() => void look(), intervalMs);
      };
      const look = async () => {
        if (!open.has(end)) return;
        try {
          const view = await getOrderView(deps.db, deps.sources, orderId, { productLimit: 0 });
          // The client may have gone while the view was read.
          if (!open.has(end)) return;
          if (!view) end();
          else send(view);
        } catch (error) {
          request.log.error({ err: error, orderId }, 'order stream failed');
          end();
        }
      };
      send(first);
    },
  );
  return { openStreams: () => open.size };
}
