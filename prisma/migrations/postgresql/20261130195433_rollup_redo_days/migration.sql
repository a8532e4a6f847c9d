-- Mirror-days whose rollups must be redone because an agent's result for the
-- day was stored after the day was over (see RollupRedoDay in models.prisma).

-- CreateTable
CREATE TABLE "RollupRedoDay" (
    "id" SERIAL NOT NULL,
    "mirrorId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RollupRedoDay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RollupRedoDay_mirrorId_day_key" ON "RollupRedoDay"("mirrorId", "day");

-- AddForeignKey
ALTER TABLE "RollupRedoDay" ADD CONSTRAINT "RollupRedoDay_mirrorId_fkey" FOREIGN KEY ("mirrorId") REFERENCES "Mirror"("id") ON DELETE CASCADE ON UPDATE CASCADE;
