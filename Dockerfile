# Portcullis hub image. Expects DATABASE_URL (an external PostgreSQL 16+); the embedded
# PostgreSQL of `npm start` on a laptop is not used in containers. See docker-compose.yml.
#
# Two stages: the first installs everything the lockfile pins (TypeScript, Vite and the console's
# libraries are devDependencies) and builds; the second installs only the runtime dependencies
# and takes the compiled hub and the built console from the first.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY web ./web
# The hub, its migrations and tools compiled into dist/ (`node dist/src/main.js`); the web
# console bundled into web/dist, served by the hub at / (no CDN: everything is bundled).
RUN npm run build && npm run build:console

FROM node:20-bookworm-slim
WORKDIR /app
# Production mode (README, "Going live"): no introspection, no field suggestions, no console
# sign-in for development, and the development issuer refused unless ALLOW_DEV_ISSUER=true.
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# The demo membership; a deployment mounts its own policies/ over this (read-only).
COPY policies ./policies

# .keys/ holds the development issuer's key pair, generated on start (never baked in: see
# .dockerignore). Owned by the unprivileged user so a named volume mounted here is writable.
# Everything else stays root's and read-only to the hub.
RUN mkdir -p /app/.keys && chown node:node /app/.keys

USER node

ENV HOST=0.0.0.0 \
    PORT=4000 \
    POLICIES_DIR=/app/policies

EXPOSE 4000

# Liveness: /healthz answers while the process serves, whatever the database does, so an outage
# of PostgreSQL never gets a working hub restarted. Readiness (/readyz: database, migrations,
# policies, alert stream) is what a load balancer or compose checks; see docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The compiled hub, started directly rather than via npm so that signals reach it: npm forwards
# SIGINT/SIGTERM but not SIGHUP, which the hub uses to reload policies/, and an intermediate
# shell does not forward signals at all. A larger young generation: live fan-out allocates
# short-lived objects per delivery (README, Performance).
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]
