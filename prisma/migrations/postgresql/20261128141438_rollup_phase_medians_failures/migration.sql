/*
  Warnings:

  - You are about to drop the column `avgThroughputBytesPerSec` on the `ProbeRollup` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "ProbeRollup" DROP COLUMN "avgThroughputBytesPerSec",
ADD COLUMN     "connectP50Ms" DOUBLE PRECISION,
ADD COLUMN     "dnsP50Ms" DOUBLE PRECISION,
ADD COLUMN     "failureCounts" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "pingTtfbP50Ms" DOUBLE PRECISION,
ADD COLUMN     "throughputP50BytesPerSec" DOUBLE PRECISION,
ADD COLUMN     "tlsP50Ms" DOUBLE PRECISION,
ADD COLUMN     "tokenP50Ms" DOUBLE PRECISION;

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
