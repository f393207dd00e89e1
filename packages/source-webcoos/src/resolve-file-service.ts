import type { ServiceError } from '@onc-orders/jobs';
import { assetFromAnswer, assetSlugOf, fileServiceType, productsOfAsset } from './asset-document.js';
import { listAt, textAt } from './read-json.js';
import type { WebcoosService } from './webcoos-service.js';
import type { ResolvedService } from './webcoos-state.js';

export type Resolution = { kind: 'resolved'; service: ResolvedService } | { kind: 'failed'; error: ServiceError };

/** Choices quoted in a refusal, at most this many. */
const maxChoicesQuoted = 40;
/** Pages of `GET /assets/` read to name the valid assets, at most. */
const maxAssetPages = 50;

const refusal = (message: string, parameter: string, code: number | null = null): Resolution => ({
  kind: 'failed',
  error: { code, parameter, message },
});

function quoteChoices(choices: readonly string[]): string {
  if (choices.length === 0) return 'none';
  const shown = choices.slice(0, maxChoicesQuoted).join(', ');
  return choices.length > maxChoicesQuoted ? `${shown} and ${choices.length - maxChoicesQuoted} more` : shown;
}

/** The token was refused: every call of the order would be. Says which setting to fix, never the token. */
export function tokenRefused(status: number, message: string): ServiceError {
  return { code: status, parameter: 'WEBCOOS_TOKEN', message: `${message}: check WEBCOOS_TOKEN` };
}

/** Every asset slug WebCOOS lists, over all pages (pywebcoos read only the first). */
async function assetSlugs(service: WebcoosService, signal: AbortSignal | undefined): Promise<string[] | ServiceError> {
  const slugs: string[] = [];
  let url: string | undefined = service.client.apiUrl('/assets/', { source: 'webcoos', page_size: '100' });
  for (let page = 0; url !== undefined && page < maxAssetPages; page += 1) {
    const answer = await service.client.getJson(url, signal);
    if (answer.kind === 'refused') return tokenRefused(answer.status, answer.message);
    if (answer.kind !== 'ok') break;
    for (const doc of listAt(answer.body, 'results')) {
      const slug = assetSlugOf(doc);
      if (slug) slugs.push(slug);
    }
    const next = textAt(answer.body, 'pagination', 'next');
    url = next ? service.client.sameApiUrl(next) : undefined;
  }
  return slugs;
}

/**
 * The service that serves an asset's product as files: the asset's document (`GET /assets/{slug}`), its products
 * over every feed, the one named by slug or label, and that product's S3Service (a product may list a live stream
 * too, which has no files). An unknown asset or product is refused naming it and the valid choices.
 */
export async function resolveFileService(
  service: WebcoosService,
  asset: string,
  product: string,
  signal: AbortSignal | undefined,
): Promise<Resolution> {
  const answer = await service.client.getJson(service.client.apiUrl(`/assets/${encodeURIComponent(asset)}`), signal);
  if (answer.kind === 'refused') return { kind: 'failed', error: tokenRefused(answer.status, answer.message) };
  const doc = answer.kind === 'ok' ? assetFromAnswer(answer.body, asset) : undefined;
  if (answer.kind === 'invalid') return refusal(answer.message, 'asset', answer.status);
  if (doc === undefined) {
    const slugs = await assetSlugs(service, signal);
    if (!Array.isArray(slugs)) return { kind: 'failed', error: slugs };
    return refusal(`unknown asset "${asset}": WebCOOS lists ${quoteChoices(slugs)}`, 'asset', 404);
  }
  const products = productsOfAsset(doc);
  const withFiles = products.filter((candidate) => candidate.services.some((s) => s.type === fileServiceType));
  const named = (exact: boolean) =>
    products.find((candidate) =>
      exact
        ? candidate.slug === product || candidate.label === product
        : candidate.slug.toLowerCase() === product.toLowerCase() ||
          candidate.label?.toLowerCase() === product.toLowerCase(),
    );
  const found = named(true) ?? named(false);
  const choices = quoteChoices(withFiles.map((candidate) => candidate.slug));
  if (!found)
    return refusal(`asset "${asset}" has no product "${product}"; its file products are ${choices}`, 'product');
  const files = found.services.find((candidate) => candidate.type === fileServiceType);
  if (!files) {
    const types = [...new Set(found.services.map((candidate) => candidate.type))].join(', ') || 'no service';
    return refusal(
      `product "${found.slug}" of asset "${asset}" serves no files (${types}); its file products are ${choices}`,
      'product',
    );
  }
  return { kind: 'resolved', service: { slug: files.slug, uuid: files.uuid, productSlug: found.slug } };
}
