-- Every read of probes names its vantage (the local ranking reads only the
-- probes of this server, a vantage view only those of its agents): the
-- per-mirror indexes gain the vantage after the mirror, and the windows of one
-- vantage get their own index. ProbeRollup rows already carry their vantage in
-- their key, and reads of the buckets of one vantage get an index that leads with it.

-- CreateIndex
CREATE INDEX "Probe_mirrorId_vantageId_startedAt_id_idx" ON "Probe"("mirrorId", "vantageId", "startedAt", "id");

-- CreateIndex
CREATE INDEX "Probe_vantageId_startedAt_idx" ON "Probe"("vantageId", "startedAt");

-- CreateIndex
CREATE INDEX "Probe_mirrorId_vantageId_kind_ok_startedAt_id_idx" ON "Probe"("mirrorId", "vantageId", "kind", "ok", "startedAt", "id");

-- CreateIndex
CREATE INDEX "Probe_mirrorId_vantageId_ok_startedAt_id_idx" ON "Probe"("mirrorId", "vantageId", "ok", "startedAt", "id");

-- CreateIndex
CREATE INDEX "ProbeRollup_vantageId_granularity_bucketStart_idx" ON "ProbeRollup"("vantageId", "granularity", "bucketStart");

-- DropIndex
DROP INDEX "Probe_mirrorId_startedAt_idx";

-- DropIndex
DROP INDEX "Probe_mirrorId_kind_ok_startedAt_idx";

-- DropIndex
DROP INDEX "Probe_mirrorId_ok_startedAt_idx";
