import type { AnySource } from '../../src/sources/source-port.js';

/**
 * The parts of a source a step's outcome reaches once the source has answered: its titles, and whether a cancelled
 * product left work on the service. A real source lives in a package built on the core, which the core's own tests
 * cannot import without a cycle.
 */
export const stepSource = {
  service: { name: 'test-service' },
  view: { productTitle: () => 'a product', fileTitle: () => 'a file' },
  hasRemoteWork: () => true,
  cancelRemote: () => Promise.resolve('stopped'),
} as unknown as AnySource;
