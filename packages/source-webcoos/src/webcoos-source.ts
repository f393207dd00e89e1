import type { Source } from '@onc-orders/jobs';
import { expandWindows } from './expand-windows.js';
import { fetchElement } from './fetch-element.js';
import { listWindowStep } from './list-window-step.js';
import { startWebcoosOrder } from './start-webcoos-order.js';
import type { WebcoosService } from './webcoos-service.js';
import { webcoosSourceName, webcoosSpecSchema, type WebcoosSpec } from './webcoos-spec.js';
import { initialWebcoosState, type WebcoosFileMeta, type WebcoosParams, type WebcoosState } from './webcoos-state.js';
import { webcoosView } from './webcoos-view.js';

export type WebcoosSource = Source<WebcoosSpec, WebcoosParams, WebcoosState, WebcoosFileMeta>;

/**
 * WebCOOS behind the source port. The order's first step resolves each asset's product to its file service and
 * reads the service's inventory (empty windows end there); each window is then listed page by page, listed again
 * while its count disagrees, and its elements are downloaded from the media host into the asset's folder.
 */
export function createWebcoosSource(service: WebcoosService): WebcoosSource {
  return {
    name: webcoosSourceName,
    service: service.limits,
    specSchema: webcoosSpecSchema,
    labelOf: (spec) => spec.label,
    expand: (spec, limits) =>
      expandWindows(spec, limits.maxProducts).map((params) => ({ params, state: initialWebcoosState })),
    startOrder: (order, context) => startWebcoosOrder(service, order, context),
    prepare: (product, context) => listWindowStep(service, product, context),
    // An element's bytes are the element's: a partial copy is resumed only from the same element.
    copyOf: (file) => file.meta.uuid,
    fetch: (file, product, request) => fetchElement(service, file, product, request),
    afterGone: () => 'fail',
    // Listed again from the start; the service and the inventory stay what they were.
    reorderState: (state) => ({ ...initialWebcoosState, service: state.service, inventory: state.inventory }),
    hasRemoteWork: () => false,
    resume: (state, hasFiles) => {
      if (state.listed && hasFiles) return { from: 'download', state };
      // A listing cut short goes on from its saved page; what it found is kept (files are keyed by uuid).
      return { from: state.pagesRead === 0 && state.service === null ? 'start' : 'prepare', state };
    },
    view: webcoosView,
    close: () => service.client.close(),
  };
}
