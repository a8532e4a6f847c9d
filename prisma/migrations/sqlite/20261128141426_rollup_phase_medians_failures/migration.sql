/*
  Warnings:

  - You are about to drop the column `avgThroughputBytesPerSec` on the `ProbeRollup` table. All the data in the column will be lost.

*/
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ProbeRollup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL,
    "granularity" TEXT NOT NULL,
    "bucketStart" DATETIME NOT NULL,
    "probes" INTEGER NOT NULL,
    "successes" INTEGER NOT NULL,
    "manifestP50Ms" REAL,
    "manifestP95Ms" REAL,
    "dnsP50Ms" REAL,
    "connectP50Ms" REAL,
    "tlsP50Ms" REAL,
    "pingTtfbP50Ms" REAL,
    "tokenP50Ms" REAL,
    "throughputP50BytesPerSec" REAL,
    "failureCounts" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "ProbeRollup_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProbeRollup_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ProbeRollup" ("bucketStart", "granularity", "id", "manifestP50Ms", "manifestP95Ms", "mirrorId", "probes", "successes", "vantageId") SELECT "bucketStart", "granularity", "id", "manifestP50Ms", "manifestP95Ms", "mirrorId", "probes", "successes", "vantageId" FROM "ProbeRollup";
DROP TABLE "ProbeRollup";
ALTER TABLE "new_ProbeRollup" RENAME TO "ProbeRollup";
CREATE INDEX "ProbeRollup_granularity_bucketStart_idx" ON "ProbeRollup"("granularity", "bucketStart");
CREATE UNIQUE INDEX "ProbeRollup_mirrorId_vantageId_granularity_bucketStart_key" ON "ProbeRollup"("mirrorId", "vantageId", "granularity", "bucketStart");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Hand-added (data is invisible to diffs): rollups whose probes are still
-- stored raw are deleted, so the rollup job, which resumes at the newest
-- remaining hourly rollup, recomputes them with phase medians, the median
-- throughput and failure classes. Rollups older than every raw probe keep their
-- counts and manifest percentiles, and their new columns stay empty (a chart gap)
-- rather than holding a mean relabelled as a median. The hour and the day
-- holding the oldest raw probe start at or before it and are kept, so the job
-- starts there, and their raw probes are complete because retention deletes up to
-- a UTC day start. No raw probes: MIN is NULL and nothing is deleted.
DELETE FROM "ProbeRollup" WHERE "bucketStart" > (SELECT MIN("startedAt") FROM "Probe");
