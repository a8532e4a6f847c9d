-- CreateTable
CREATE TABLE "Mirror" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT,
    "notes" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "caPath" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'catalog',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mirror_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vantage" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vantage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Probe" (
    "id" SERIAL NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL DEFAULT 'local',
    "kind" TEXT NOT NULL,
    "repository" TEXT,
    "reference" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failureClass" TEXT,
    "failedPhase" TEXT,
    "detail" TEXT,
    "httpStatus" INTEGER,
    "dnsMs" DOUBLE PRECISION,
    "connectMs" DOUBLE PRECISION,
    "tlsMs" DOUBLE PRECISION,
    "pingTtfbMs" DOUBLE PRECISION,
    "tokenMs" DOUBLE PRECISION,
    "manifestMs" DOUBLE PRECISION,
    "blobTtfbMs" DOUBLE PRECISION,
    "blobTransferMs" DOUBLE PRECISION,
    "manifestDigest" TEXT,
    "mediaType" TEXT,
    "platformDigest" TEXT,
    "blobDigest" TEXT,
    "blobBytes" INTEGER,
    "blobVerified" BOOLEAN,
    "blobRedirects" INTEGER,
    "throughputBytesPerSec" DOUBLE PRECISION,
    "retryAfterSeconds" INTEGER,

    CONSTRAINT "Probe_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "failureClass" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProbeRollup" (
    "id" SERIAL NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "probes" INTEGER NOT NULL,
    "successes" INTEGER NOT NULL,
    "manifestP50Ms" DOUBLE PRECISION,
    "manifestP95Ms" DOUBLE PRECISION,
    "avgThroughputBytesPerSec" DOUBLE PRECISION,

    CONSTRAINT "ProbeRollup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MirrorState" (
    "mirrorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "consecutiveSuccesses" INTEGER NOT NULL DEFAULT 0,
    "degradedReason" TEXT,
    "since" TIMESTAMP(3) NOT NULL,
    "lastFailureClass" TEXT,
    "lastProbeAt" TIMESTAMP(3),
    "lastIntegrityFailureAt" TIMESTAMP(3),
    "retryNotBefore" TIMESTAMP(3),
    "lastDigest" TEXT,
    "lastDigestChangeAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MirrorState_pkey" PRIMARY KEY ("mirrorId")
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

-- AddForeignKey
ALTER TABLE "Probe" ADD CONSTRAINT "Probe_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Probe" ADD CONSTRAINT "Probe_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProbeRollup" ADD CONSTRAINT "ProbeRollup_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProbeRollup" ADD CONSTRAINT "ProbeRollup_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorState" ADD CONSTRAINT "MirrorState_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Seed the default vantage (probes run from this server). Hand-added: data,
-- not schema, so later `migrate dev` diffs are unaffected.
INSERT INTO "Vantage" ("id", "name", "createdAt") VALUES ('local', 'This server', CURRENT_TIMESTAMP);
