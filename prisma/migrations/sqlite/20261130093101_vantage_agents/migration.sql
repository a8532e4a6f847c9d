-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "resultId" TEXT;

-- AlterTable
ALTER TABLE "Vantage" ADD COLUMN "notes" TEXT;
ALTER TABLE "Vantage" ADD COLUMN "revokedAt" DATETIME;

-- CreateTable
CREATE TABLE "AgentToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "vantageId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "lastSeenAt" DATETIME,
    "lastClockSkewMs" REAL,
    CONSTRAINT "AgentToken_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VantageMirrorState" (
    "vantageId" TEXT NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "degradedReason" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "consecutiveSuccesses" INTEGER NOT NULL DEFAULT 0,
    "since" DATETIME NOT NULL,
    "lastFailureClass" TEXT,
    "lastProbeAt" DATETIME NOT NULL,
    "lastIntegrityFailureAt" DATETIME,

    PRIMARY KEY ("vantageId", "mirrorId"),
    CONSTRAINT "VantageMirrorState_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VantageMirrorState_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AgentToken_tokenHash_key" ON "AgentToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AgentToken_vantageId_idx" ON "AgentToken"("vantageId");

-- CreateIndex
CREATE UNIQUE INDEX "Probe_vantageId_resultId_key" ON "Probe"("vantageId", "resultId");
