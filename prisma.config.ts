// Prisma CLI configuration. The URL is optional here because `prisma generate` needs none,
// and migrations are applied by scripts/migrate.ts through the driver adapter.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
