# One image for every part of a deployment: the web server (the default command), the worker
# (`node scripts/run-bundled.mjs workers/index.ts`, as `npm run worker` runs it) and the migration
# step (`node --import tsx scripts/migrate.ts deploy`).
# PostgreSQL and Redis are separate services (see compose.yaml); the embedded defaults of
# `npm start` are for a single machine and are not used here.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so that a change in the sources does not reinstall them; the postinstall
# step generates the Prisma client from the schema.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD ["node", "--import", "tsx", "scripts/healthcheck.ts", "web"]
CMD ["node", "scripts/run-bundled.mjs", "scripts/web.ts"]
