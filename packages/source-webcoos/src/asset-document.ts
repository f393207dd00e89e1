import { listAt, textAt, type Json } from './read-json.js';

/** A service of a product, as the asset document nests it. */
export interface ListedService {
  slug: string;
  uuid: string;
  /** `S3Service` serves files; `StreamingService` is a live stream, not files. */
  type: string;
}

/** A product of an asset (over all its feeds), with its services. */
export interface ListedProduct {
  slug: string;
  label: string | undefined;
  services: ListedService[];
}

/** The service type whose elements are files to download. */
export const fileServiceType = 'S3Service';

function readService(doc: Json): ListedService | undefined {
  const slug = textAt(doc, 'data', 'common', 'slug');
  const uuid = textAt(doc, 'uuid') ?? textAt(doc, 'data', 'uuid');
  const type = textAt(doc, 'data', 'type');
  return slug && uuid && type ? { slug, uuid, type } : undefined;
}

/** The slug of an asset document (asset → feeds → products → services), as `GET /assets/…` answers. */
export const assetSlugOf = (doc: Json): string | undefined => textAt(doc, 'data', 'common', 'slug');

/** Every product of an asset, from every feed, in the order listed. */
export function productsOfAsset(doc: Json): ListedProduct[] {
  return listAt(doc, 'feeds').flatMap((feed) =>
    listAt(feed, 'products').flatMap((product): ListedProduct[] => {
      const slug = textAt(product, 'data', 'common', 'slug');
      if (!slug) return [];
      const services = listAt(product, 'services').flatMap((service) => readService(service) ?? []);
      return [{ slug, label: textAt(product, 'data', 'common', 'label'), services }];
    }),
  );
}

/**
 * The asset a `GET /assets/{slug}` answer holds: the document itself, or (should the API wrap it as its list does)
 * the one in `results` with that slug.
 */
export function assetFromAnswer(body: Json, slug: string): Json {
  if (assetSlugOf(body) === slug) return body;
  return listAt(body, 'results').find((doc) => assetSlugOf(doc) === slug);
}
