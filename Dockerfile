# One image for every process of the supergraph (the last stage, the default target);
# docker-compose and the Kubernetes manifests pick the entry point per service, CI builds it once
# and tags it per service. The `web` target is the reference web app (docker-compose's `web`).
# Node 24 runs the TypeScript sources directly (type stripping), so the services have no build.

# Every workspace's package.json with the lock file: what `npm ci` needs, cached apart from the
# sources. npm ci refuses a lock whose workspaces are missing, so each one is listed.
FROM node:24-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY gateway/package.json gateway/
COPY payment-provider/package.json payment-provider/
COPY subgraphs/customers/package.json subgraphs/customers/
COPY subgraphs/flights/package.json subgraphs/flights/
COPY subgraphs/bookings/package.json subgraphs/bookings/
COPY subgraphs/payments/package.json subgraphs/payments/
COPY subgraphs/notifications/package.json subgraphs/notifications/
COPY web/package.json web/
# npm ci's postinstall applies these to node_modules (the gateway's result shaping, see
# patches/): the image runs the same patched dependencies as development.
COPY patches/ patches/

# Production dependencies only (patch-package included, a root dependency for that reason): no
# jest, eslint, codegen, Vite, concurrently (the `npm start` runner) or the node@24 dev
# dependency (this image is Node 24 already).
FROM manifests AS deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The web app's production build needs the development tools (GraphQL codegen, Vite, React).
FROM manifests AS web-build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run codegen && npm run build -w web

# The web app: its static build and the small Node server that serves it (Node built-ins only).
FROM node:24-bookworm-slim AS web
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    WEB_PORT=5173
WORKDIR /app
COPY web/package.json web/
COPY web/server web/server
COPY --from=web-build /app/web/dist web/dist
USER 1000:1000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WEB_PORT || 5173) + '/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "web/server/main.ts"]

# The services.
FROM node:24-bookworm-slim AS runtime
# The tracing preload starts OpenTelemetry before anything else loads; it does nothing unless
# OTEL_EXPORTER_OTLP_ENDPOINT names a collector (compose sets it to Jaeger).
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--import /app/shared/src/tracing/preload.ts"
WORKDIR /app
# node_modules (with the workspace links) from the deps stage, then the sources over it;
# .dockerignore keeps the build context's node_modules, tests, deploy files and .env out.
# Everything stays owned by root: the process cannot rewrite its own code or dependencies.
COPY --from=deps /app ./
COPY . .
# The image's `node` user by number, so Kubernetes' runAsNonRoot can verify it is not root.
USER 1000:1000
# For `docker run` and compose: each process answers /health/live on its port, given as PORT
# (compose sets it; the payment simulator has /health only, hence HEALTH_PATH). Kubernetes and
# ECS ignore this and use their own probes.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + (process.env.HEALTH_PATH || '/health/live')).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Overridden per service in docker-compose.yml and the manifests.
CMD ["node", "gateway/src/main.ts"]
