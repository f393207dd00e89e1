// Every data source the orchestrator knows, and how the apps configure them from the environment.
export { configureSources } from './configure-sources.js';
export { knownSources, type KnownSource } from './known-sources.js';
export { knownSourceViews } from './known-source-views.js';
