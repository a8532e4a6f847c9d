-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL DEFAULT 'local',
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "failureClass" TEXT NOT NULL,
    "detail" TEXT,
    CONSTRAINT "Incident_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Incident_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Incident" ("detail", "endedAt", "failureClass", "id", "mirrorId", "startedAt") SELECT "detail", "endedAt", "failureClass", "id", "mirrorId", "startedAt" FROM "Incident";
DROP TABLE "Incident";
ALTER TABLE "new_Incident" RENAME TO "Incident";
CREATE INDEX "Incident_mirrorId_vantageId_startedAt_idx" ON "Incident"("mirrorId", "vantageId", "startedAt");
CREATE INDEX "Incident_vantageId_endedAt_idx" ON "Incident"("vantageId", "endedAt");
CREATE TABLE "new_Recommendation" (
    "vantageId" TEXT NOT NULL DEFAULT 'local',
    "scope" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "mirrors" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Recommendation_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Recommendation" ("count", "mirrors", "scope", "updatedAt") SELECT "count", "mirrors", "scope", "updatedAt" FROM "Recommendation";
DROP TABLE "Recommendation";
ALTER TABLE "new_Recommendation" RENAME TO "Recommendation";
CREATE UNIQUE INDEX "Recommendation_vantageId_scope_count_key" ON "Recommendation"("vantageId", "scope", "count");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
