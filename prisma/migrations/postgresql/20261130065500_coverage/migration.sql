-- CreateTable
CREATE TABLE "CoverageCheck" (
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL DEFAULT 'local',
    "image" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failureClass" TEXT,
    "httpStatus" INTEGER,
    "detail" TEXT,
    "digest" TEXT,
    "manifestMs" DOUBLE PRECISION,

    CONSTRAINT "CoverageCheck_pkey" PRIMARY KEY ("mirrorId","vantageId","image")
);

-- CreateTable
CREATE TABLE "ReferenceImageCheck" (
    "image" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failureClass" TEXT,
    "detail" TEXT,
    "digest" TEXT,

    CONSTRAINT "ReferenceImageCheck_pkey" PRIMARY KEY ("image")
);

-- AddForeignKey
ALTER TABLE "CoverageCheck" ADD CONSTRAINT "CoverageCheck_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;
