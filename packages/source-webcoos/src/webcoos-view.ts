import type { SourceView } from '@onc-orders/jobs';
import { z } from 'zod';
import { assetsOf, type WebcoosSpec } from './webcoos-spec.js';
import type { WebcoosFileMeta, WebcoosParams, WebcoosState } from './webcoos-state.js';

/** The fields a WebCOOS order adds to the views. */
export const webcoosViewSchema = {
  order: {
    assets: z.array(z.string()).describe('the WebCOOS assets (cameras) ordered'),
    webcoosProduct: z.string().describe('the WebCOOS product asked for, e.g. one-minute-stills'),
    split: z.string().describe('the window length (ISO 8601 duration)'),
  },
  product: {
    asset: z.string().describe('the WebCOOS asset (camera) of this window'),
    webcoosProduct: z.string().describe("the product's slug, once resolved (else as the order named it)"),
    windowFrom: z.string().describe('window start, inclusive'),
    windowTo: z.string().describe('window end, exclusive'),
    service: z.string().nullable().describe('the WebCOOS service (S3Service) listed, once resolved'),
    inventoryCount: z.number().int().nullable().describe("elements in the window by the service's inventory"),
    inventoryBytes: z.number().int().nullable(),
    listedCount: z.number().int().describe('distinct elements listed in the window so far'),
    listings: z.number().int().describe('listings of the window (more than one when its count disagreed)'),
    pagesRead: z.number().int(),
  },
  file: {
    elementUuid: z.string().describe('the WebCOOS element'),
    starting: z.string().nullable().describe("the element's start time"),
    expectedBytes: z.number().int().nullable().describe('the size the listing gave'),
  },
};

/** "2024-06-01" for midnight, otherwise up to the minute. */
const shortInstant = (text: string): string => text.replace(/T00:00:00(\.000)?Z$/, '').replace(/:\d\d(\.\d+)?Z$/, 'Z');

export const webcoosView: SourceView<WebcoosSpec, WebcoosParams, WebcoosState, WebcoosFileMeta> = {
  schema: webcoosViewSchema,
  productStatuses: ['listing'],
  order: (spec) => ({ assets: assetsOf(spec), webcoosProduct: spec.product, split: spec.split }),
  productStatus: (status) => (status === 'preparing' ? 'listing' : status),
  product: (params, state) => ({
    asset: params.asset,
    webcoosProduct: state.service?.productSlug ?? params.product,
    windowFrom: params.from,
    windowTo: params.to,
    service: state.service?.slug ?? null,
    inventoryCount: state.inventory?.count ?? null,
    inventoryBytes: state.inventory?.bytes ?? null,
    listedCount: state.seen.length,
    listings: state.pagesRead === 0 ? 0 : state.listing,
    pagesRead: state.pagesRead,
  }),
  file: (meta) => ({ elementUuid: meta.uuid, starting: meta.starting, expectedBytes: meta.size }),
  manifestFile: (meta, params, state) => ({
    elementUuid: meta.uuid,
    starting: meta.starting,
    url: meta.url,
    asset: params.asset,
    service: state.service?.slug ?? null,
  }),
  productTitle: (params) =>
    `${params.asset} ${params.product} ${shortInstant(params.from)}..${shortInstant(params.to)}`,
  fileTitle: (meta) => meta.name,
  fallbackFileName: (_ordinal, meta) => `element-${meta.uuid}`,
};
