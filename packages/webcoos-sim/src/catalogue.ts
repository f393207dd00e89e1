/**
 * What exists: cameras (assets), the products each one's raw feed offers, and the services that expose them. The
 * nesting and names follow the WebCOOS site and pywebcoos: asset → feed `raw-video-data` → product
 * (`video-archive`, `one-minute-stills`, `10-minute-stills`) → service (`<asset>-<product>-s3`, an S3Service) — plus
 * live streams (StreamingService), which have no files.
 */
import { stableUuid } from './stable-hash.js';

/** The file products the simulator knows, and how each one's elements come. */
export const PRODUCTS = {
  'video-archive': { kind: 'video', intervalMinutes: 10, extension: 'mp4', mimeType: 'video/mp4' },
  'one-minute-stills': { kind: 'still', intervalMinutes: 1, extension: 'jpg', mimeType: 'image/jpeg' },
  '10-minute-stills': { kind: 'still', intervalMinutes: 10, extension: 'jpg', mimeType: 'image/jpeg' },
} as const;

export type ProductSlug = keyof typeof PRODUCTS;
export type ProductSpec = (typeof PRODUCTS)[ProductSlug];
export type ElementKind = ProductSpec['kind'];

export const isProductSlug = (slug: string): slug is ProductSlug => Object.hasOwn(PRODUCTS, slug);

/** The one feed every camera has (pywebcoos looks for exactly this label). */
export const RAW_FEED = 'raw-video-data';

/** A camera. */
export interface AssetSpec {
  /** e.g. `currituck_hampton_inn`; used in service slugs, paths and file names. */
  slug: string;
  label: string;
  /** Organisation in storage paths, e.g. `noaa`, `uncw`. */
  group: string;
  /** `webcoos` for every camera the site lists (the `source` filter of `GET /assets/`). */
  source: string;
  /** `public` unless said otherwise. */
  accessLevel: string;
  /** IANA zone such as `America/New_York`, or null: some cameras have none (they broke pywebcoos, PR 3). */
  timezone: string | null;
  longitude: number;
  latitude: number;
  /** File products of the raw feed, in the order listed; each has one S3Service. */
  products: readonly ProductSlug[];
  /**
   * Where the camera's live stream (a StreamingService, no files) is listed: in its `video-archive` product, after
   * the S3Service (`in-video-archive`), as a product of its own named `live-stream` (`own-product`), or nowhere.
   */
  stream: 'in-video-archive' | 'own-product' | 'none';
  /** Days (`YYYY-MM-DD`) on which this camera recorded nothing, on top of the archive's `emptyDays`. */
  emptyDays?: readonly string[];
}

/** Four cameras like the site's, one of them without a time zone and two with live streams. */
export const DEFAULT_ASSETS: readonly AssetSpec[] = [
  {
    slug: 'currituck_hampton_inn',
    label: 'Currituck Hampton Inn',
    group: 'noaa',
    source: 'webcoos',
    accessLevel: 'public',
    timezone: 'America/New_York',
    longitude: -75.8105,
    latitude: 36.3762,
    products: ['video-archive', 'one-minute-stills', '10-minute-stills'],
    stream: 'in-video-archive',
  },
  {
    slug: 'currituck_sailfish',
    label: 'Currituck Sailfish',
    group: 'noaa',
    source: 'webcoos',
    accessLevel: 'public',
    timezone: 'America/New_York',
    longitude: -75.8139,
    latitude: 36.3388,
    products: ['video-archive', 'one-minute-stills'],
    stream: 'own-product',
  },
  {
    slug: 'oakisland_west',
    label: 'Oak Island West',
    group: 'uncw',
    source: 'webcoos',
    accessLevel: 'public',
    timezone: null,
    longitude: -78.2243,
    latitude: 33.9126,
    products: ['one-minute-stills', '10-minute-stills'],
    stream: 'none',
    emptyDays: ['2024-06-05'],
  },
  {
    slug: 'northinlet',
    label: 'North Inlet',
    group: 'nerrs',
    source: 'webcoos',
    accessLevel: 'public',
    timezone: 'America/New_York',
    longitude: -79.1889,
    latitude: 33.3494,
    products: ['one-minute-stills'],
    stream: 'none',
  },
];

/** A service as the simulator resolves it from the catalogue. */
export interface CatalogueService {
  uuid: string;
  /** `<asset>-<product>-s3` for files, `<asset>-streams` for a live stream. */
  slug: string;
  type: 'S3Service' | 'StreamingService';
  asset: AssetSpec;
  /** The product slug it is listed under (`live-stream` for a stream with a product of its own). */
  productSlug: string;
  /** The file product, or null for a stream. */
  product: ProductSpec | null;
  /** Storage path of its elements inside the bucket, e.g. `sources/webcoos/groups/noaa/assets/…/elements`. */
  path: string;
}

export interface CatalogueProduct {
  uuid: string;
  slug: string;
  services: CatalogueService[];
}

export interface CatalogueAsset {
  uuid: string;
  spec: AssetSpec;
  feedUuid: string;
  products: CatalogueProduct[];
}

/** The bucket in every S3 path (path-style, as the site's service URLs show). */
export const BUCKET = 'webcoos';

export const LIVE_STREAM_PRODUCT = 'live-stream';

function fileService(asset: AssetSpec, product: ProductSlug): CatalogueService {
  const slug = `${asset.slug}-${product}-s3`;
  return {
    uuid: stableUuid('service', slug),
    slug,
    type: 'S3Service',
    asset,
    productSlug: product,
    product: PRODUCTS[product],
    path: `sources/${asset.source}/groups/${asset.group}/assets/${asset.slug}/feeds/${RAW_FEED}/products/${product}/elements`,
  };
}

function streamService(asset: AssetSpec, productSlug: string): CatalogueService {
  const slug = `${asset.slug}-streams`;
  return {
    uuid: stableUuid('service', slug),
    slug,
    type: 'StreamingService',
    asset,
    productSlug,
    product: null,
    path: '',
  };
}

/** Resolves asset specs into the nested catalogue, checking that slugs are unique. */
export function buildCatalogue(assets: readonly AssetSpec[]): CatalogueAsset[] {
  const seen = new Set<string>();
  for (const a of assets) {
    if (!/^[a-z0-9_]+$/.test(a.slug)) throw new RangeError(`asset slug must match [a-z0-9_]+: ${a.slug}`);
    if (seen.has(a.slug)) throw new RangeError(`duplicate asset slug ${a.slug}`);
    seen.add(a.slug);
    for (const p of a.products) if (!isProductSlug(p)) throw new RangeError(`unknown product ${String(p)}`);
    if (a.stream === 'in-video-archive' && !a.products.includes('video-archive'))
      throw new RangeError(`asset ${a.slug}: stream 'in-video-archive' needs a video-archive product`);
  }
  return assets.map((spec) => {
    const products: CatalogueProduct[] = spec.products.map((p) => {
      const services = [fileService(spec, p)];
      if (p === 'video-archive' && spec.stream === 'in-video-archive') services.push(streamService(spec, p));
      return { uuid: stableUuid('product', spec.slug, p), slug: p, services };
    });
    if (spec.stream === 'own-product')
      products.push({
        uuid: stableUuid('product', spec.slug, LIVE_STREAM_PRODUCT),
        slug: LIVE_STREAM_PRODUCT,
        services: [streamService(spec, LIVE_STREAM_PRODUCT)],
      });
    return { uuid: stableUuid('asset', spec.slug), spec, feedUuid: stableUuid('feed', spec.slug, RAW_FEED), products };
  });
}

/** Every service of the catalogue, file services and streams, in listing order. */
export const allServices = (catalogue: readonly CatalogueAsset[]): CatalogueService[] =>
  catalogue.flatMap((a) => a.products.flatMap((p) => p.services));
