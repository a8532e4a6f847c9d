-- CreateTable
CREATE TABLE "Recommendation" (
    "scope" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "mirrors" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_scope_count_key" ON "Recommendation"("scope", "count");
