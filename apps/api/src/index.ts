// The HTTP API as a library, so end-to-end tests and tools can run it in-process; `main.ts` is the executable.
export { buildApp } from './build-app.js';
export type { AppDependencies } from './app-dependencies.js';
