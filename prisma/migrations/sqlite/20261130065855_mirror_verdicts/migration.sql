-- CreateTable
CREATE TABLE "ReferenceDigest" (
    "vantageId" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "digest" TEXT,
    "source" TEXT,
    "firstSeenAt" DATETIME,
    "evaluatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("vantageId", "image"),
    CONSTRAINT "ReferenceDigest_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MirrorVerdict" (
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "facts" TEXT NOT NULL,
    "evaluatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("mirrorId", "vantageId"),
    CONSTRAINT "MirrorVerdict_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MirrorVerdict_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MirrorVerdict_vantageId_idx" ON "MirrorVerdict"("vantageId");
