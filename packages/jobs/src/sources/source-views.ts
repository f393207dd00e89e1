import type { SourceRegistry } from './source-registry.js';

/**
 * What the order views need of the sources: how each one shows its orders. A SourceRegistry is one; a process that
 * only reads orders (the API's read threads) needs no configured source, only the views.
 */
export type SourceViews = Pick<SourceRegistry, 'viewOf'>;
