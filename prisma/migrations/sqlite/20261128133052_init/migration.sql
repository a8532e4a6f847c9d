-- CreateTable
CREATE TABLE "Mirror" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT,
    "notes" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "caPath" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'catalog',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Vantage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Probe" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL DEFAULT 'local',
    "kind" TEXT NOT NULL,
    "repository" TEXT,
    "reference" TEXT,
    "startedAt" DATETIME NOT NULL,
    "durationMs" REAL NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failureClass" TEXT,
    "failedPhase" TEXT,
    "detail" TEXT,
    "httpStatus" INTEGER,
    "dnsMs" REAL,
    "connectMs" REAL,
    "tlsMs" REAL,
    "pingTtfbMs" REAL,
    "tokenMs" REAL,
    "manifestMs" REAL,
    "blobTtfbMs" REAL,
    "blobTransferMs" REAL,
    "manifestDigest" TEXT,
    "mediaType" TEXT,
    "platformDigest" TEXT,
    "blobDigest" TEXT,
    "blobBytes" INTEGER,
    "blobVerified" BOOLEAN,
    "blobRedirects" INTEGER,
    "throughputBytesPerSec" REAL,
    "retryAfterSeconds" INTEGER,
    CONSTRAINT "Probe_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Probe_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "failureClass" TEXT NOT NULL,
    "detail" TEXT,
    CONSTRAINT "Incident_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProbeRollup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "probes" INTEGER NOT NULL,
    "successes" INTEGER NOT NULL,
    "manifestP50Ms" REAL,
    "manifestP95Ms" REAL,
    "avgThroughputBytesPerSec" REAL,
    CONSTRAINT "ProbeRollup_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProbeRollup_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MirrorState" (
    "mirrorId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "consecutiveSuccesses" INTEGER NOT NULL DEFAULT 0,
    "degradedReason" TEXT,
    "since" DATETIME NOT NULL,
    "lastFailureClass" TEXT,
    "lastProbeAt" DATETIME,
    "lastIntegrityFailureAt" DATETIME,
    "retryNotBefore" DATETIME,
    "lastDigest" TEXT,
    "lastDigestChangeAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MirrorState_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Mirror_url_key" ON "Mirror"("url");

-- CreateIndex
CREATE INDEX "Probe_mirrorId_startedAt_idx" ON "Probe"("mirrorId", "startedAt");

-- CreateIndex
CREATE INDEX "Probe_startedAt_idx" ON "Probe"("startedAt");

-- CreateIndex
CREATE INDEX "Incident_mirrorId_startedAt_idx" ON "Incident"("mirrorId", "startedAt");

-- CreateIndex
CREATE INDEX "Incident_endedAt_idx" ON "Incident"("endedAt");

-- CreateIndex
CREATE INDEX "ProbeRollup_granularity_bucketStart_idx" ON "ProbeRollup"("granularity", "bucketStart");

-- CreateIndex
CREATE UNIQUE INDEX "ProbeRollup_mirrorId_vantageId_granularity_bucketStart_key" ON "ProbeRollup"("mirrorId", "vantageId", "granularity", "bucketStart");

-- Seed the default vantage (probes run from this server). Hand-added: data,
-- not schema, so later `migrate dev` diffs are unaffected. ISO-8601 text is the
-- timestamp format @prisma/adapter-better-sqlite3 writes and reads.
INSERT INTO "Vantage" ("id", "name", "createdAt") VALUES ('local', 'This server', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
