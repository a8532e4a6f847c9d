-- AlterTable
ALTER TABLE "Mirror" ADD COLUMN "pathStyle" TEXT NOT NULL DEFAULT 'repository-prefix';
