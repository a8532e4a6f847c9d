-- The Incident index of models.prisma gained the id as its last column in
-- vantage_scoped_probe_indexes (newest-first reads break start-time ties by
-- id), but that migration left the index as it was: this brings the database
-- in step with the schema (what `prisma migrate dev` found as drift).

-- DropIndex
DROP INDEX "Incident_mirrorId_vantageId_startedAt_idx";

-- CreateIndex
CREATE INDEX "Incident_mirrorId_vantageId_startedAt_id_idx" ON "Incident"("mirrorId", "vantageId", "startedAt", "id");
