import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests import workspace packages from their TypeScript sources, so a stale dist never hides a change.
    conditions: ['@onc-orders/source'],
  },
  ssr: { resolve: { conditions: ['@onc-orders/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'packages', include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'] },
      },
      {
        extends: true,
        // Real api and worker processes with timing assertions (cancel within 5 s, takeover after SIGTERM): one file
        // at a time, so two of them never compete for the machine's two cores.
        test: { name: 'e2e', include: ['test/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
