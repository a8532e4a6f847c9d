-- CreateIndex
CREATE INDEX "Probe_mirrorId_kind_ok_startedAt_idx" ON "Probe"("mirrorId", "kind", "ok", "startedAt");

-- CreateIndex
CREATE INDEX "Probe_mirrorId_ok_startedAt_idx" ON "Probe"("mirrorId", "ok", "startedAt");

-- CreateIndex
CREATE INDEX "Probe_failureClass_startedAt_idx" ON "Probe"("failureClass", "startedAt");
