# One image for every process of the supergraph; docker-compose picks the entry point per service.
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build output.

FROM node:24-bookworm-slim AS deps
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
# Production dependencies only; the node@24 dev dependency is not needed on a Node 24 image.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0
WORKDIR /app
# node_modules (with the workspace links) from the deps stage, then the sources over it;
# .dockerignore keeps the build context's own node_modules out.
COPY --from=deps /app ./
COPY . .
USER node
# Overridden per service in docker-compose.yml.
CMD ["node", "gateway/src/main.ts"]
