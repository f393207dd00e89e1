import type { Logger } from 'pino';
import type { OrderCheck } from '../sources/source-port.js';
import type { SourceRegistry } from '../sources/source-registry.js';
import { parseOrderSpec } from './order-spec.js';

export interface OrderCheckReport extends OrderCheck {
  source: string;
  /** How many products the order would make. */
  products: number;
}

/**
 * What an order would be, without ordering or storing anything: its spec validated and expanded as a submission
 * would be (the same 400s), then each distinct combination judged by its service's catalogue when its source has
 * one (ONC: discovery). A source without a catalogue check reports every combination unchecked.
 */
export async function checkOrder(
  deps: { sources: SourceRegistry; maxProductsPerOrder: number; logger: Logger },
  input: unknown,
  signal?: AbortSignal,
): Promise<OrderCheckReport> {
  const { sourceName, spec } = parseOrderSpec(deps.sources, input);
  const source = deps.sources.get(sourceName);
  const plans = source.expand(spec, { maxProducts: deps.maxProductsPerOrder });
  const products = plans.map((plan, ordinal): { ordinal: number; params: unknown } => ({
    ordinal,
    params: plan.params,
  }));
  if (!source.checkOrder) {
    return {
      source: sourceName,
      products: plans.length,
      checked: false,
      note: `${sourceName} has no catalogue to check an order against before it starts`,
      combinations: [],
    };
  }
  const check = await source.checkOrder({ spec, products }, { signal, logger: deps.logger });
  return { source: sourceName, products: plans.length, ...check };
}
