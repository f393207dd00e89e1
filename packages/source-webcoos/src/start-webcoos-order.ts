import type { Logger } from 'pino';
import type { OrderStartOutcome, ServiceError, StepEvent } from '@onc-orders/jobs';
import { readDailyInventory, windowInventory, type InventoryDay } from './inventory.js';
import { resolveFileService, tokenRefused } from './resolve-file-service.js';
import type { WebcoosService } from './webcoos-service.js';
import type { WebcoosSpec } from './webcoos-spec.js';
import { initialWebcoosState, type ResolvedService, type WebcoosParams, type WebcoosState } from './webcoos-state.js';

/** What the order remembers of its first step: the service each asset's product resolved to. */
export interface WebcoosOrderState {
  services: Array<{ asset: string; product: string; service: string }>;
}

type Outcome = OrderStartOutcome<WebcoosParams, WebcoosState, WebcoosOrderState>;

/** The daily inventory of a service, or undefined when WebCOOS has none this can read (windows are listed anyway). */
export async function readInventory(
  service: WebcoosService,
  slug: string,
  signal: AbortSignal | undefined,
): Promise<InventoryDay[] | undefined | ServiceError> {
  const answer = await service.client.getJson(
    service.client.apiUrl(`/services/${encodeURIComponent(slug)}/inventory/`),
    signal,
  );
  if (answer.kind === 'refused') return tokenRefused(answer.status, answer.message);
  return answer.kind === 'ok' ? readDailyInventory(answer.body) : undefined;
}

/**
 * The order's first step: each asset's product resolved to the service that serves its files (an unknown asset or
 * product fails the order, naming it and the choices, before any window is listed), then each service's inventory
 * read once. Windows the inventory has nothing for end as `nodata` without a listing; the others start with their
 * service and their expected count in their state.
 */
export async function startWebcoosOrder(
  service: WebcoosService,
  order: { id: string; spec: WebcoosSpec; products: ReadonlyArray<{ ordinal: number; params: WebcoosParams }> },
  context: { signal: AbortSignal | undefined; logger: Logger },
): Promise<Outcome> {
  const assets = [...new Set(order.products.map((product) => product.params.asset))];
  const resolved = new Map<string, ResolvedService>();
  const refusals: ServiceError[] = [];
  for (const asset of assets) {
    const resolution = await resolveFileService(service, asset, order.spec.product, context.signal);
    if (resolution.kind === 'failed') {
      if (resolution.error.parameter === 'WEBCOOS_TOKEN') return { kind: 'failed', error: resolution.error };
      refusals.push(resolution.error);
    } else resolved.set(asset, resolution.service);
  }
  const [firstRefusal] = refusals;
  if (firstRefusal) {
    const message = refusals.map((refusal) => refusal.message).join('; ');
    return { kind: 'failed', error: { ...firstRefusal, message } };
  }

  const events: StepEvent[] = [];
  const inventories = new Map<string, InventoryDay[] | undefined>();
  for (const [asset, files] of resolved) {
    const days = await readInventory(service, files.slug, context.signal);
    if (days !== undefined && !Array.isArray(days)) return { kind: 'failed', error: days };
    inventories.set(asset, days);
    events.push({
      kind: 'service',
      reason:
        `${asset} ${files.productSlug}: service ${files.slug}` +
        (days ? `, ${days.filter((day) => day.count > 0).length} days with data` : ', no readable inventory'),
    });
  }

  const update: Array<{ ordinal: number; state: WebcoosState }> = [];
  const end: NonNullable<Extract<Outcome, { kind: 'started' }>['end']> = [];
  for (const { ordinal, params } of order.products) {
    const files = resolved.get(params.asset);
    if (!files) continue;
    const days = inventories.get(params.asset);
    const inventory = days ? windowInventory(days, Date.parse(params.from), Date.parse(params.to)) : null;
    update.push({ ordinal, state: { ...initialWebcoosState, service: files, inventory } });
    if (inventory && !inventory.hasData) {
      end.push({
        ordinal,
        kind: 'nodata',
        error: {
          code: null,
          parameter: null,
          message: `the inventory of ${files.slug} has nothing from ${params.from} to ${params.to}`,
        },
      });
    }
  }
  context.logger.info({ orderId: order.id, windows: update.length, empty: end.length }, 'WebCOOS services resolved');
  return {
    kind: 'started',
    state: {
      services: [...resolved].map(([asset, files]) => ({ asset, product: files.productSlug, service: files.slug })),
    },
    update,
    end,
    events,
  };
}
