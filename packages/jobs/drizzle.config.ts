import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './packages/jobs/src/db/schema.ts',
  out: './migrations/sqlite',
});
