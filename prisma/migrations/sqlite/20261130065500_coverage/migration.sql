-- CreateTable
CREATE TABLE "CoverageCheck" (
    "mirrorId" TEXT NOT NULL,
    "vantageId" TEXT NOT NULL DEFAULT 'local',
    "image" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failureClass" TEXT,
    "httpStatus" INTEGER,
    "detail" TEXT,
    "digest" TEXT,
    "manifestMs" REAL,

    PRIMARY KEY ("mirrorId", "vantageId", "image"),
    CONSTRAINT "CoverageCheck_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReferenceImageCheck" (
    "image" TEXT NOT NULL PRIMARY KEY,
    "checkedAt" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failureClass" TEXT,
    "detail" TEXT,
    "digest" TEXT
);
