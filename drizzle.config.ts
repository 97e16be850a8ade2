import { defineConfig } from 'drizzle-kit';

// One schema and one set of SQL migrations for PGlite (embedded) and PostgreSQL (production).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/adapters/store/schema.ts',
  out: './src/adapters/store/migrations',
});
