# One image runs the whole product: the NestJS API with its probe scheduler and
# the Next.js dashboard, on one port. Build: docker compose build
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/ libs/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 DATABASE_URL=file:/data/mirrorwatch.db
# As npm start: glibc gives each thread (API, probe engine, libuv pool) its own
# malloc arena; capping them at two keeps about 25 MiB less resident. A fixed mmap
# threshold stops glibc from raising it after large frees; at 32 KiB it also puts
# V8's compiler and parser zone segments (32 KiB each) in mappings of their own,
# returned on free: start-up's parse and compile bursts (tens of MiB) otherwise
# stay resident in the arenas as free holes for the life of the process
# (bench/memory, docs/benchmarks/memory.md).
ENV MALLOC_ARENA_MAX=2
ENV MALLOC_MMAP_THRESHOLD_=32768
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# --no-icu-timezone-data: Date's local-time functions (Prisma calls Date#toString on every date it
# sends) read the time zone from the system, as glibc does, instead of ICU's tables, which would
# otherwise stay resident (issue 10). The dashboard's process runs without it: its pages format dates with Intl.
# --optimize-for-size: V8 grows the old generation in small steps, so garbage between collections
# stays a few MiB instead of 8+ per isolate (RSS about -8 MiB); --single-threaded-gc: collections run
# on the thread that allocated, without helper threads, which costs less CPU in all on a 2-core machine
# than it did with them and pays for the first flag's extra collections (docs/benchmarks/memory.md);
# --heap-growing-percent=20: the old generation may grow by a fifth of what survived the last full
# collection before the next one, which caps the saw-tooth of the API thread's heap (issue 10;
# docs/benchmarks/probe-cpu.md, thirteenth pass). --single-threaded-gc is also what lets the product keep
# each young generation committed at start-up (keep-young-generation-committed.ts; probe-cpu.md, sixteenth pass).
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=20", "--no-icu-timezone-data", "--optimize-for-size", "--single-threaded-gc", "apps/api/dist/main.js"]
