// WebCOOS (coastal camera stills and video archives) behind the orchestrator's source port. Knows the WebCOOS API
// v1 and its media host; the core never sees a WebCOOS field.
export {
  webcoosSettingsSchema,
  parseWebcoosSettings,
  webcoosIsConfigured,
  webcoosEnablingSetting,
  webcoosDefaultBaseUrl,
  type WebcoosSettings,
} from './webcoos-settings.js';
export { createWebcoosService, type WebcoosService } from './webcoos-service.js';
export { createWebcoosSource, type WebcoosSource } from './webcoos-source.js';
export { webcoosSpecSchema, webcoosSourceName, type WebcoosSpec, type WebcoosSpecInput } from './webcoos-spec.js';
export { expandWindows } from './expand-windows.js';
export { webcoosView, webcoosViewSchema } from './webcoos-view.js';
export type { WebcoosParams, WebcoosState, WebcoosFileMeta } from './webcoos-state.js';
export type { WebcoosOrderView, WebcoosProductView, WebcoosFileView } from './webcoos-view-types.js';
