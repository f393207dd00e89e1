import type { ServerResponse } from 'node:http';
import type { ApiServer } from '../api-server.js';
import type { RouteDependencies } from '../app-dependencies.js';
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

/**
 * `GET /orders/:id/stream`: server-sent events with the order's summary and progress, each time they change
 * (looked at every second), for the order page's live view. The stream ends when the order ends (after sending it
 * once as it ended), when the client goes away, and when the API closes. `openStreams` counts the streams open.
 */
export function addOrderStreamRoute(
  app: ApiServer,
  deps: RouteDependencies,
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
      const first = await deps.reads.read({ read: 'summary', orderId });
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
      const send = (view: { json: string; status: string }) => {
        const snapshot = view.json;
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
        timer = setTimeout(look, intervalMs);
      };
      const look = () => {
        if (!open.has(end)) return;
        void deps.reads.read({ read: 'summary', orderId }).then(
          (view) => {
            // The client may have gone while the read ran.
            if (!open.has(end)) return;
            if (!view) end();
            else send(view);
          },
          (error: unknown) => {
            request.log.error({ err: error, orderId }, 'order stream failed');
            end();
          },
        );
      };
      send(first);
    },
  );
  return { openStreams: () => open.size };
}
