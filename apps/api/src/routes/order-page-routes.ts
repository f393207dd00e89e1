import { readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ApiServer } from '../api-server.js';
import { orderIdParamsSchema } from '../schemas/order-schemas.js';
import '../route-config.js';

export const orderPagePath = '/';
export const orderPageAssetsPath = '/ui';

/** The page's files, read once: they ship beside the compiled code (`apps/api/public`), and no build touches them. */
const publicFolder = new URL('../../public/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, publicFolder), 'utf8');

const assets = {
  'order-page.js': { type: 'text/javascript; charset=utf-8', body: asset('order-page.js') },
  'order-page.css': { type: 'text/css; charset=utf-8', body: asset('order-page.css') },
} as const;
const pageHtml = asset('order-page.html');

/**
 * Only the page's own script and style run: whatever a file name or a service's message holds, it is shown as
 * text, and even markup slipped in some other way could not load or run anything.
 */
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const assetParamsSchema = z.object({ name: z.enum(Object.keys(assets) as [keyof typeof assets]) });

/**
 * The order page: the orders at `/`, one order at `/orders/:id/page`. One HTML shell whose script reads the API
 * (the same routes any client uses) and the order's event stream; behind the same key as the API, asked for by the
 * browser's own prompt.
 */
export function addOrderPageRoutes(app: ApiServer): void {
  const sendPage = (_request: unknown, reply: FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', contentSecurityPolicy)
      .header('cache-control', 'no-cache')
      .send(pageHtml);
  const hidden = { hide: true };

  app.get(orderPagePath, { schema: hidden, config: { browserPage: true } }, sendPage);
  app.get(
    '/orders/:id/page',
    { schema: { ...hidden, params: orderIdParamsSchema }, config: { browserPage: true } },
    sendPage,
  );
  app.get(
    `${orderPageAssetsPath}/:name`,
    { schema: { ...hidden, params: assetParamsSchema }, config: { browserPage: true } },
    (request, reply) => {
      const file = assets[request.params.name];
      return reply.header('content-type', file.type).header('cache-control', 'no-cache').send(file.body);
    },
  );
}
