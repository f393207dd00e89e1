import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL twin of drizzle.config.ts: the same tables from pg-schema.ts, into a migrations folder of its own. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/jobs/src/db/pg-schema.ts',
  out: './migrations/postgres',
});
