import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests import workspace packages from their TypeScript sources, so a stale dist never hides a change.
    conditions: ['@onc-orders/source'],
  },
  ssr: { resolve: { conditions: ['@onc-orders/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
