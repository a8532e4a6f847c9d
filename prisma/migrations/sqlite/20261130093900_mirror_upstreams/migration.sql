-- DropIndex
DROP INDEX "Mirror_url_key";

-- AlterTable
ALTER TABLE "Mirror" ADD COLUMN "pathPrefix" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Mirror" ADD COLUMN "upstream" TEXT NOT NULL DEFAULT 'docker.io';

-- CreateIndex
CREATE INDEX "Mirror_upstream_idx" ON "Mirror"("upstream");

-- CreateIndex
CREATE UNIQUE INDEX "Mirror_url_pathPrefix_key" ON "Mirror"("url", "pathPrefix");
