/**
 * The JSON documents of the API, shaped after what the WebCOOS site and pywebcoos read: assets with their nested
 * feeds, products and services (the site's CameraSummary fixture gives a service's full shape), and elements
 * (`data.extents.temporal`, `data.properties.url`, `data.properties.thumbnails.base`). Where no source shows a
 * field — an element's size and duration — the names are the simulator's guesses and can be changed.
 */
import { createHash } from 'node:crypto';
import { isoMicros, isoSeconds } from './archive-time.js';
import {
  BUCKET,
  RAW_FEED,
  type CatalogueAsset,
  type CatalogueProduct,
  type CatalogueService,
  type ProductSpec,
} from './catalogue.js';
import {
  THUMBNAIL_VARIANTS,
  elementCreatedMs,
  thumbnailKey,
  type ElementArchive,
  type SimElement,
} from './element-archive.js';

/** How element documents spell the fields no source shows. */
export interface ElementFieldNames {
  /** Property (under `data.properties`) holding the size in bytes; default `size`. */
  size: string;
  /** Property (under `data.properties`) holding a video's duration; default `duration`. */
  duration: string;
  /** `seconds` (a number, default) or `iso` (an ISO 8601 duration such as `PT9M58S`). */
  durationFormat: 'seconds' | 'iso';
}

export const DEFAULT_ELEMENT_FIELD_NAMES: ElementFieldNames = {
  size: 'size',
  duration: 'duration',
  durationFormat: 'seconds',
};

export interface DocumentContext {
  archive: ElementArchive;
  /** The media host's base URL, no trailing slash. */
  mediaUrl: string;
  fieldNames: ElementFieldNames;
  /** Write `:` in file URLs as `%3A` (true) or as is (false, the default). */
  encodeColons: boolean;
}

// Records were "created" when the catalogue was loaded into the site; a fixed instant keeps documents stable.
const CATALOGUE_CREATED_MS = Date.UTC(2022, 2, 18, 19, 2, 34, 716);
const CATALOGUE_UPDATED_MS = Date.UTC(2024, 4, 21, 16, 30, 32, 273);
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 8-character short id the site shows beside each uuid (`uuid_slug`). */
function uuidSlug(uuid: string): string {
  const bytes = createHash('sha1').update(uuid).digest();
  return [...bytes.subarray(0, 8)].map((b) => BASE62[b % 62] ?? '0').join('');
}

const record = (uuid: string) => ({
  uuid,
  created_at: isoMicros(CATALOGUE_CREATED_MS),
  updated_at: isoMicros(CATALOGUE_UPDATED_MS),
  attrs: {},
});

const common = (slug: string, label: string, extra: Record<string, unknown> = {}) => ({
  slug,
  label,
  comments: '',
  description: '',
  ...extra,
});

const fileUrl = (ctx: DocumentContext, key: string): string =>
  `${ctx.mediaUrl}/${ctx.encodeColons ? key.replaceAll(':', '%3A') : key}`;

/** `PT10M` for ten minutes, `PT1M` for one: the `frequency.value` the site parses with duration-fns. */
const frequencyOf = (product: ProductSpec) => ({ type: 'periodic', value: `PT${product.intervalMinutes}M` });

function serviceDocument(ctx: DocumentContext, service: CatalogueService) {
  const totals = ctx.archive.totals(service);
  const at = (ms: number | null) => (ms === null ? null : isoSeconds(ms));
  // Streams are not served: a client that tries to download one gets the media host's 404.
  const streamBase = `${ctx.mediaUrl}/stream/adaptive/${service.asset.group}/${service.asset.slug}`;
  const properties = service.product
    ? {
        url: `${ctx.mediaUrl}/${BUCKET}/${service.path}`,
        path: service.path,
        bucket: BUCKET,
        region: '',
        base_url: ctx.mediaUrl,
        frequency: frequencyOf(service.product),
      }
    : {
        connections: [
          { url: `${streamBase}/manifest.mpd`, name: 'Dash', port: 80, protocol: 'dash' },
          { url: `${streamBase}/hls.m3u8`, name: 'HLS', port: 80, protocol: 'hls' },
        ],
      };
  return {
    ...record(service.uuid),
    data: {
      kind: 'Service',
      type: service.type,
      uuid: service.uuid,
      common: common(service.slug, service.slug),
      system: service.type === 'S3Service' ? 'webcoos.s3service' : 'webcoos.streamingservice',
      version: '1.0.0',
      uuid_slug: uuidSlug(service.uuid),
      uuid_type: 'service',
      properties,
    },
    elements: {
      count: totals.count,
      size: totals.size,
      first_starting: at(totals.firstStarting),
      last_starting: at(totals.lastStarting),
      first_ending: at(totals.firstEnding),
      last_ending: at(totals.lastEnding),
    },
  };
}

function productDocument(ctx: DocumentContext, product: CatalogueProduct) {
  return {
    ...record(product.uuid),
    data: {
      kind: 'Product',
      uuid: product.uuid,
      common: common(product.slug, product.slug),
      uuid_slug: uuidSlug(product.uuid),
      uuid_type: 'product',
      properties: {},
    },
    services: product.services.map((s) => serviceDocument(ctx, s)),
  };
}

export function assetDocument(ctx: DocumentContext, asset: CatalogueAsset) {
  const { spec } = asset;
  const picture = (shape: string, size: string) =>
    `${ctx.mediaUrl}/static-assets/cameras/${spec.slug}/${spec.slug}_highlight-${shape}-${size}.jpg`;
  return {
    ...record(asset.uuid),
    data: {
      kind: 'Asset',
      type: 'Camera',
      uuid: asset.uuid,
      common: common(spec.slug, spec.label, { access_level: spec.accessLevel, statistics_level: 'public' }),
      system: 'webcoos.asset',
      version: '1.0.0',
      uuid_slug: uuidSlug(asset.uuid),
      uuid_type: 'asset',
      properties: {
        timezone: spec.timezone,
        source: spec.source,
        group: spec.group,
        location: { type: 'Point', coordinates: [spec.longitude, spec.latitude] },
        thumbnails: {
          base: {
            rect_large: picture('rect', '800x400'),
            rect_medium: picture('rect', '400x200'),
            rect_small: picture('rect', '200x100'),
            square_large: picture('square', '800x800'),
            square_medium: picture('square', '400x400'),
            square_small: picture('square', '200x200'),
          },
        },
      },
    },
    feeds: [
      {
        ...record(asset.feedUuid),
        data: {
          kind: 'Feed',
          uuid: asset.feedUuid,
          common: common(RAW_FEED, RAW_FEED),
          uuid_slug: uuidSlug(asset.feedUuid),
          uuid_type: 'feed',
          properties: {},
        },
        products: asset.products.map((p) => productDocument(ctx, p)),
      },
    ],
  };
}

/** `PT9M58S` for 598 seconds. */
function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 || seconds === 0 ? `${s}S` : ''}`;
}

/** A low-quality image placeholder: a tiny (fake) JPEG as a data URI, as the gallery's `lqip` shows. */
const lqipOf = (uuid: string): string =>
  `data:image/jpeg;base64,${createHash('sha256').update(`lqip:${uuid}`).digest().toString('base64')}`;

export function elementDocument(ctx: DocumentContext, element: SimElement) {
  const properties: Record<string, unknown> = {
    url: fileUrl(ctx, element.key),
    path: element.key.slice(BUCKET.length + 1),
    bucket: BUCKET,
    mime_type: element.mimeType,
    [ctx.fieldNames.size]: element.sizeBytes,
  };
  if (element.durationSeconds !== null)
    properties[ctx.fieldNames.duration] =
      ctx.fieldNames.durationFormat === 'iso' ? isoDuration(element.durationSeconds) : element.durationSeconds;
  const base: Record<string, string> = {};
  for (const variant of Object.keys(THUMBNAIL_VARIANTS) as (keyof typeof THUMBNAIL_VARIANTS)[])
    base[variant] = fileUrl(ctx, thumbnailKey(element, variant));
  base['lqip'] = lqipOf(element.uuid);
  properties['thumbnails'] = { base };
  const createdMs = elementCreatedMs(element);
  return {
    uuid: element.uuid,
    created_at: isoMicros(createdMs),
    updated_at: isoMicros(createdMs),
    data: {
      kind: 'Element',
      uuid: element.uuid,
      common: { slug: element.name, label: element.name },
      extents: {
        temporal: { min: isoSeconds(element.startingMs), max: isoSeconds(element.endingMs ?? element.startingMs) },
      },
      properties,
    },
    service: element.service.uuid,
  };
}
