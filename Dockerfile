# Portcullis hub image. Expects DATABASE_URL (an external PostgreSQL 16+); the embedded
# PostgreSQL of `npm start` on a laptop is not used in containers. See docker-compose.yml.
FROM node:20-bookworm-slim

WORKDIR /app

# The hub runs its TypeScript sources through ts-node (`npm start`), which is a devDependency:
# install everything the lockfile pins, exactly.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY schema ./schema
# The web console, built into web/dist and served by the hub at / (no CDN: everything is bundled).
COPY web ./web
COPY scripts/build-console.mjs ./scripts/build-console.mjs
RUN npm run build:console
# The demo membership; a deployment mounts its own policies/ over this (read-only).
COPY policies ./policies

# .keys/ holds the development issuer's key pair, generated on first start (never baked in:
# see .dockerignore). Owned by the unprivileged user so a named volume mounted here is writable.
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

# What `npm start` runs, started directly rather than via npm so that signals reach the hub: npm
# forwards SIGINT/SIGTERM but not SIGHUP, which the hub uses to reload policies/, and the
# intermediate shell does not forward signals at all. A larger young generation: live fan-out
# allocates short-lived objects per delivery (README, Performance).
CMD ["node", "--max-semi-space-size=32", "-r", "ts-node/register/transpile-only", "src/main.ts"]
