-- CreateTable
CREATE TABLE "ReferenceDigest" (
    "vantageId" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "digest" TEXT,
    "source" TEXT,
    "firstSeenAt" TIMESTAMP(3),
    "evaluatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReferenceDigest_pkey" PRIMARY KEY ("vantageId","image")
);

-- CreateTable
CREATE TABLE "MirrorVerdict" (
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "facts" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MirrorVerdict_pkey" PRIMARY KEY ("mirrorId","vantageId")
);

-- CreateIndex
CREATE INDEX "MirrorVerdict_vantageId_idx" ON "MirrorVerdict"("vantageId");

-- AddForeignKey
ALTER TABLE "ReferenceDigest" ADD CONSTRAINT "ReferenceDigest_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorVerdict" ADD CONSTRAINT "MirrorVerdict_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MirrorVerdict" ADD CONSTRAINT "MirrorVerdict_vantageId_fkey" FOREIGN KEY ("vantageId") REFERENCES "Vantage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
