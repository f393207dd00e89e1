import {
  TransientFailure,
  type ListedFile,
  type PrepareOutcome,
  type ProductSnapshot,
  type StepContext,
  type StepEvent,
} from '@onc-orders/jobs';
import { readElementPage } from './element-page.js';
import { windowInventory } from './inventory.js';
import { resolveFileService } from './resolve-file-service.js';
import { readInventory } from './start-webcoos-order.js';
import type { WebcoosService } from './webcoos-service.js';
import type { WebcoosSpec } from './webcoos-spec.js';
import type { WebcoosFileMeta, WebcoosParams, WebcoosState } from './webcoos-state.js';

type Product = ProductSnapshot<WebcoosSpec, WebcoosParams, WebcoosState>;
type Outcome = PrepareOutcome<WebcoosState, WebcoosFileMeta>;

const listedFile = (meta: WebcoosFileMeta): ListedFile<WebcoosFileMeta> => ({ ref: meta.uuid, meta });

const rejected = (state: WebcoosState, message: string, code: number | null, endsOrder = false): Outcome => ({
  kind: 'rejected',
  state,
  error: { code, parameter: endsOrder ? 'WEBCOOS_TOKEN' : null, message },
  ...(endsOrder ? { endsOrder } : {}),
});

/**
 * The service and inventory of a window whose order's first step did not give them (a product added before the
 * first step could, or a state from elsewhere): resolved here, once, before the first page.
 */
async function withService(service: WebcoosService, product: Product, signal: AbortSignal | undefined) {
  const { asset, from, to } = product.params;
  const resolution = await resolveFileService(service, asset, product.params.product, signal);
  if (resolution.kind === 'failed') return resolution;
  const days = await readInventory(service, resolution.service.slug, signal);
  if (days !== undefined && !Array.isArray(days)) return { kind: 'failed' as const, error: days };
  const inventory = days ? windowInventory(days, Date.parse(from), Date.parse(to)) : null;
  return { kind: 'resolved' as const, state: { ...product.state, service: resolution.service, inventory } };
}

/** The first page of one listing of the window, oldest first (the order in which late arrivals shift least). */
function firstPageUrl(service: WebcoosService, slug: string, params: WebcoosParams): string {
  return service.client.apiUrl('/elements/', {
    service: slug,
    starting_after: params.from,
    starting_before: params.to,
    ordering: 'starting',
    page_size: String(service.pageSize),
  });
}

/**
 * A listing has read its last page. Page-number paging shifts when elements arrive meanwhile, so the window's
 * distinct elements are compared with what it should hold (the inventory's count, or the listing's own when that is
 * higher); while some are missing and the last listing still found new ones, the window is listed again, up to
 * WEBCOOS_MAX_LISTINGS times. Whatever difference remains is recorded; the files listed are downloaded next.
 */
function endOfListing(
  service: WebcoosService,
  product: Product,
  state: WebcoosState,
  files: ListedFile<WebcoosFileMeta>[],
): Outcome {
  const { from, to } = product.params;
  const inventoryCount = state.inventory?.count ?? null;
  const target = Math.max(inventoryCount ?? 0, state.listedCount ?? 0);
  const total = state.seen.length;
  const summary = `listing ${state.listing} of ${from}..${to} found ${total} elements (${state.newInListing} new)`;
  const mayFindMore = state.listing === 1 || state.newInListing > 0;
  if (total < target && state.listing < service.maxListings && mayFindMore) {
    const reason = `${summary}, ${target - total} fewer than counted: listing the window again`;
    return {
      kind: 'continue',
      state: { ...state, listing: state.listing + 1, next: null, newInListing: 0 },
      files,
      reason,
      events: [{ kind: 'relist', reason }],
    };
  }
  const events: StepEvent[] = [];
  const counts = [
    inventoryCount === null ? undefined : `the inventory counted ${inventoryCount}`,
    state.listedCount === null ? undefined : `the listing counted ${state.listedCount}`,
  ].filter((text) => text !== undefined);
  if (
    (inventoryCount !== null && total !== inventoryCount) ||
    (state.listedCount !== null && total < state.listedCount)
  )
    events.push({
      kind: 'count-mismatch',
      reason: `${product.params.asset} ${from}..${to}: ${total} distinct elements listed in ${state.listing} listing(s); ${counts.join(', ')}`,
    });
  const done: WebcoosState = { ...state, next: null, listed: true };
  if (total === 0) {
    const message = `WebCOOS lists no elements of ${state.service?.slug ?? product.params.asset} from ${from} to ${to}`;
    return { kind: 'nodata', state: done, error: { code: null, parameter: null, message } };
  }
  return { kind: 'files', state: done, files, reason: `${summary}; ${total} to download`, events };
}

/**
 * One step of a window's listing: one page of `GET /elements/`. Its new elements are recorded with the state that
 * points at the next page (the core commits both together), so a crash repeats at most this page, and a repeated
 * element (the same uuid) is one file.
 */
export async function listWindowStep(
  service: WebcoosService,
  product: Product,
  context: StepContext<WebcoosState>,
): Promise<Outcome> {
  let state = product.state;
  if (state.listed) return { kind: 'files', state, files: [], reason: 'the window was listed already' };
  if (state.service === null) {
    const resolved = await withService(service, product, context.signal);
    if (resolved.kind === 'failed')
      return rejected(state, resolved.error.message, resolved.error.code, resolved.error.parameter === 'WEBCOOS_TOKEN');
    state = resolved.state;
  }
  const slug = state.service?.slug ?? '';
  const url = state.next ?? firstPageUrl(service, slug, product.params);
  const answer = await service.client.getJson(url, context.signal);
  if (answer.kind === 'refused') return rejected(state, `${answer.message}: check WEBCOOS_TOKEN`, answer.status, true);
  if (answer.kind === 'notFound' && state.next !== null) {
    // A page past the end: the window lost elements since the listing began. Its count is no longer known.
    return endOfListing(service, product, { ...state, listedCount: null }, []);
  }
  if (answer.kind !== 'ok') return rejected(state, answer.message, answer.kind === 'invalid' ? answer.status : 404);

  const page = readElementPage(answer.body);
  if (!page) throw new TransientFailure(`WebCOOS listing of ${slug}: the answer is not a page of elements`);
  const known = new Set(state.seen);
  const fresh: WebcoosFileMeta[] = [];
  for (const element of page.elements) {
    if (known.has(element.uuid)) continue;
    known.add(element.uuid);
    fresh.push(element);
  }
  const files = fresh.map(listedFile);
  state = {
    ...state,
    seen: [...state.seen, ...fresh.map((element) => element.uuid)],
    newInListing: state.newInListing + fresh.length,
    pagesRead: state.pagesRead + 1,
    listedCount: page.count ?? state.listedCount,
  };
  const events: StepEvent[] =
    page.unreadable > 0
      ? [{ kind: 'unreadable-elements', reason: `${page.unreadable} elements without a uuid or a file URL skipped` }]
      : [];
  if (page.next === null) {
    const outcome = endOfListing(service, product, state, files);
    return 'events' in outcome ? { ...outcome, events: [...events, ...(outcome.events ?? [])] } : outcome;
  }
  const next = service.client.sameApiUrl(page.next);
  if (next === undefined) {
    return rejected(
      state,
      `WebCOOS sent a next page away from its API (${page.next.slice(0, 200)}); not followed`,
      null,
    );
  }
  return {
    kind: 'continue',
    state: { ...state, next },
    files,
    reason: `listing ${state.listing}, page ${state.pagesRead}: ${page.elements.length} elements, ${fresh.length} new`,
    events,
    failpointAfterSave: 'after-page-before-next',
  };
}
