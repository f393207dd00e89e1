import type { FastifyInstance } from 'fastify';
import { createApiKeyMatcher } from './api-key-matcher.js';
import { presentedKey } from './presented-key.js';
import '../route-config.js';

export interface ApiKeyOptions {
  /** Accepted keys; when empty no key is required. */
  apiKeys: readonly string[];
  /**
   * Path prefixes a person opens in a browser (dashboard, docs). Their 401 carries a Basic challenge so the browser
   * asks for the key; API routes get a Bearer challenge. Routes marked `config.browserPage` are pages too.
   */
  browserPathPrefixes: readonly string[];
}

const realm = 'onc-orders';

/**
 * Refuses every request without a valid key, except on routes marked `config.public`. Added as an app-wide hook
 * before anything else is registered, so it covers every route of every plugin, unknown URLs included.
 */
export function requireApiKey(app: FastifyInstance, options: ApiKeyOptions): void {
  if (options.apiKeys.length === 0) return;
  const matches = createApiKeyMatcher(options.apiKeys);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public === true) return;
    const key = presentedKey(request.headers.authorization);
    if (key !== undefined && matches(key)) return;
    // A page's own fetches and event streams are answered with Basic too, so the browser sends the key it was
    // given at the page's prompt: it sends it unasked only below the path where it was asked (Fetch Metadata's
    // `sec-fetch-site` tells a browser's same-origin request from an API client's, which sends no such header).
    const fromBrowser =
      request.routeOptions.config.browserPage === true ||
      request.headers['sec-fetch-site'] === 'same-origin' ||
      options.browserPathPrefixes.some((prefix) => request.url.startsWith(prefix));
    const challenge = fromBrowser ? `Basic realm="${realm}", charset="UTF-8"` : `Bearer realm="${realm}"`;
    return reply.code(401).header('www-authenticate', challenge).send({ error: 'unauthorized' });
  });
}
