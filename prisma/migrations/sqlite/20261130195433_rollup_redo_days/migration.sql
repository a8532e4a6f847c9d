-- Mirror-days whose rollups must be redone because an agent's result for the
-- day was stored after the day was over (see RollupRedoDay in models.prisma).

-- CreateTable
CREATE TABLE "RollupRedoDay" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mirrorId" TEXT NOT NULL,
    "day" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "RollupRedoDay_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "RollupRedoDay_mirrorId_day_key" ON "RollupRedoDay"("mirrorId", "day");
