-- DropIndex
DROP INDEX "Incident_endedAt_idx";

-- DropIndex
DROP INDEX "Incident_mirrorId_startedAt_idx";

-- DropIndex
DROP INDEX "Recommendation_scope_count_key";

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "vantageId" TEXT NOT NULL DEFAULT 'local';

-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN     "vantageId" TEXT NOT NULL DEFAULT 'local';

-- CreateIndex
CREATE INDEX "Incident_mirrorId_vantageId_startedAt_idx" ON "Incident"("mirrorId", "vantageId", "startedAt");

-- CreateIndex
CREATE INDEX "Incident_vantageId_endedAt_idx" ON "Incident"("vantageId", "endedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_vantageId_scope_count_key" ON "Recommendation"("vantageId", "scope", "count");

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
