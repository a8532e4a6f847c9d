-- AlterTable
ALTER TABLE "Probe" ADD COLUMN     "resultId" TEXT;

-- AlterTable
ALTER TABLE "Vantage" ADD COLUMN     "notes" TEXT,
ADD COLUMN     "revokedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AgentToken" (
    "id" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "lastClockSkewMs" DOUBLE PRECISION,

    CONSTRAINT "AgentToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VantageMirrorState" (
    "vantageId" TEXT NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "degradedReason" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "consecutiveSuccesses" INTEGER NOT NULL DEFAULT 0,
    "since" TIMESTAMP(3) NOT NULL,
    "lastFailureClass" TEXT,
    "lastProbeAt" TIMESTAMP(3) NOT NULL,
    "lastIntegrityFailureAt" TIMESTAMP(3),

    CONSTRAINT "VantageMirrorState_pkey" PRIMARY KEY ("vantageId","mirrorId")
);

-- CreateIndex
CREATE UNIQUE INDEX "AgentToken_tokenHash_key" ON "AgentToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AgentToken_vantageId_idx" ON "AgentToken"("vantageId");

-- CreateIndex
CREATE UNIQUE INDEX "Probe_vantageId_resultId_key" ON "Probe"("vantageId", "resultId");

-- AddForeignKey
ALTER TABLE "AgentToken" ADD CONSTRAINT "AgentToken_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VantageMirrorState" ADD CONSTRAINT "VantageMirrorState_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VantageMirrorState" ADD CONSTRAINT "VantageMirrorState_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;
