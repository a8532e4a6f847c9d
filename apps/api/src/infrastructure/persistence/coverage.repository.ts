import { Injectable } from '@nestjs/common';
import { byCodeUnits, isFailureClass, type FailureClass } from '@mirrorwatch/domain';
import { sqlTagsOf, type CoverageCheckRow, type ReferenceImageCheckRow } from './prisma-client.factory.js';
import { MirrorRepository } from './mirror.repository.js';
import { PrismaService } from './prisma.service.js';
import { quoted, replacedBy } from './outcome-statements.js';
import { countVantageRows } from './vantage-row-count.js';

/** One stored answer for one coverage image: a mirror's, or the reference registry's (mirrorId null). */
export interface CoverageRecord {
  mirrorId: string | null;
  image: string;
  checkedAt: Date;
  ok: boolean;
  failureClass: FailureClass | null;
  httpStatus: number | null;
  detail: string | null;
  digest: string | null;
  manifestMs: number | null;
}

export type CoverageWrite = Omit<CoverageRecord, 'mirrorId'>;

/**
 * Every field of an answer, as a column of the raw upsert: a Record over CoverageWrite's keys, so a field
 * added there and not here fails to compile instead of going unwritten.
 */
const ANSWER_COLUMNS: Record<keyof CoverageWrite, true> = {
  image: true,
  checkedAt: true,
  ok: true,
  failureClass: true,
  httpStatus: true,
  detail: true,
  digest: true,
  manifestMs: true,
};
const ANSWER_COLUMN_NAMES = Object.keys(ANSWER_COLUMNS) as (keyof CoverageWrite)[];
/** The reference registry's answers have no status or timing columns. */
const REFERENCE_COLUMN_NAMES = ANSWER_COLUMN_NAMES.filter((name) => name !== 'httpStatus' && name !== 'manifestMs');

/**
 * Coverage evidence: the latest answer per mirror (and vantage) and image, and the reference registry's.
 *
 * The scheduler's replica writes all of it (the local vantage's answers and the reference's), and every
 * ranking rebuild reads all of it: at 50 mirrors and 6 images, 300 rows every light cycle that only a
 * deep cycle changes (issue 10). While the scheduler holds its term (keepCopy), the rows it reads are
 * kept in memory and every write through this repository updates them, so the following reads are
 * answered from memory; a deleted mirror's rows go by cascade, so a deletion drops the copy (read again
 * next time), and each read from memory first counts the rows. Every other replica reads the database.
 */
@Injectable()
export class CoverageRepository {
  private copy: CoverageCopy | null = null;
  private keeping = false;
  /** Writes started and ended: a copy read while one was in flight may miss it, and is not kept. */
  private writesStarted = 0;
  private writesEnded = 0;

  constructor(
    private readonly prisma: PrismaService,
    mirrors: MirrorRepository,
  ) {
    mirrors.onDeleted(() => (this.copy = null));
  }

  /** The scheduler's term began: this replica is the only writer of coverage evidence from now on. */
  keepCopy(): void {
    this.keeping = true;
    this.copy = null;
  }

  /** The term ended: another replica may write; read the database again. */
  dropCopy(): void {
    this.keeping = false;
    this.copy = null;
  }

  /**
   * Replaces the mirror's answers for these images: one statement, so a reader never sees half of
   * them. Raw SQL, as the probe rows' (outcome-statements.ts): through the model API each answer was
   * an upsert compiled by Prisma's query compiler, six per deep probe (issue 10).
   */
  async saveMirrorAnswers(mirrorId: string, vantageId: string, answers: readonly CoverageWrite[]): Promise<void> {
    // The last answer per image: PostgreSQL refuses to update a row twice in one statement.
    const latest = [...new Map(answers.map((answer) => [answer.image, answer])).values()];
    if (latest.length === 0) return;
    const { sql, join, raw } = sqlTagsOf(this.prisma.client);
    const rows = latest.map((answer) => sql`(${join([mirrorId, vantageId, ...ANSWER_COLUMN_NAMES.map((name) => answer[name])])})`);
    await this.writing(() =>
      this.prisma.client.$executeRaw(
        sql`INSERT INTO "CoverageCheck" (${raw(quoted(['mirrorId', 'vantageId', ...ANSWER_COLUMN_NAMES]))}) VALUES ${join(rows)}
          ON CONFLICT ("mirrorId", "vantageId", "image") DO UPDATE SET ${raw(replacedBy(ANSWER_COLUMN_NAMES.filter((name) => name !== 'image')))}`,
      ),
    );
    const copy = this.copy;
    if (copy === null || copy.vantageId !== vantageId) return;
    for (const answer of latest) copy.mirrors.set(mirrorKey(mirrorId, answer.image), fromMirrorRow({ mirrorId, vantageId, ...answer }));
  }

  async saveReferenceAnswer(answer: CoverageWrite): Promise<void> {
    const { image, checkedAt, ok, failureClass, detail, digest } = answer;
    const { sql, join, raw } = sqlTagsOf(this.prisma.client);
    await this.writing(() =>
      this.prisma.client.$executeRaw(
        sql`INSERT INTO "ReferenceImageCheck" (${raw(quoted(REFERENCE_COLUMN_NAMES))}) VALUES (${join(REFERENCE_COLUMN_NAMES.map((name) => answer[name]))})
          ON CONFLICT ("image") DO UPDATE SET ${raw(replacedBy(REFERENCE_COLUMN_NAMES.filter((name) => name !== 'image')))}`,
      ),
    );
    this.copy?.reference.set(image, fromReferenceRow({ image, checkedAt, ok, failureClass, detail, digest }));
  }

  /** Answers for the given images, per mirror id (in id order, each mirror's in image order), for one vantage. */
  async mirrorAnswers(vantageId: string, images: readonly string[]): Promise<Map<string, CoverageRecord[]>> {
    const copy = (await this.stillStored(vantageId)) ? this.copy : await this.copied(vantageId);
    if (copy !== null) return answersFrom(copy, images);
    const rows = await this.prisma.client.coverageCheck.findMany({
      where: { vantageId, image: { in: [...images] } },
      orderBy: [{ mirrorId: 'asc' }, { image: 'asc' }],
    });
    const byMirror = new Map<string, CoverageRecord[]>();
    for (const row of rows) byMirror.set(row.mirrorId, [...(byMirror.get(row.mirrorId) ?? []), fromMirrorRow(row)]);
    return byMirror;
  }

  async referenceAnswers(images: readonly string[]): Promise<Map<string, CoverageRecord>> {
    const copy = this.copy;
    if (copy !== null) {
      return new Map(
        images.flatMap((image) => [copy.reference.get(image)].flatMap((record) => (record ? [[image, record] as const] : []))),
      );
    }
    const rows = await this.prisma.client.referenceImageCheck.findMany({ where: { image: { in: [...images] } } });
    return new Map(rows.map((row) => [row.image, fromReferenceRow(row)]));
  }

  /**
   * Whether the copy still holds what the database does: rows go only by cascade when a mirror is
   * deleted, here (onDeleted drops the copy) or through another replica's admin API, which a count
   * of the rows (one small statement instead of every row) tells.
   */
  private async stillStored(vantageId: string): Promise<boolean> {
    const copy = this.copy;
    if (copy === null || copy.vantageId !== vantageId) return false;
    const count = await countVantageRows(this.prisma.client, 'CoverageCheck', vantageId);
    return this.copy === copy && count === copy.mirrors.size;
  }

  /** In a term, reads every row of the vantage once and keeps them, unless a write committed meanwhile. */
  private async copied(vantageId: string): Promise<CoverageCopy | null> {
    if (!this.keeping) return null;
    const startedBefore = this.writesStarted;
    const quiet = startedBefore === this.writesEnded;
    const [mirrorRows, referenceRows] = await this.prisma.client.$transaction([
      this.prisma.client.coverageCheck.findMany({ where: { vantageId } }),
      this.prisma.client.referenceImageCheck.findMany(),
    ]);
    const copy: CoverageCopy = {
      vantageId,
      mirrors: new Map(mirrorRows.map((row) => [mirrorKey(row.mirrorId, row.image), fromMirrorRow(row)])),
      reference: new Map(referenceRows.map((row) => [row.image, fromReferenceRow(row)])),
    };
    if (this.keeping && quiet && this.writesStarted === startedBefore) this.copy = copy;
    return copy;
  }

  private async writing<T>(write: () => Promise<T>): Promise<T> {
    this.writesStarted += 1;
    try {
      return await write();
    } finally {
      this.writesEnded += 1;
    }
  }
}

/** One vantage's answers by mirror and image, and the reference's by image, as stored. */
interface CoverageCopy {
  vantageId: string;
  mirrors: Map<string, CoverageRecord>;
  reference: Map<string, CoverageRecord>;
}

function mirrorKey(mirrorId: string, image: string): string {
  return `${mirrorId}\u0000${image}`;
}

/** What the mirror-answers query answers, from a copy: the images asked, ordered by mirror id, then image. */
function answersFrom(copy: CoverageCopy, images: readonly string[]): Map<string, CoverageRecord[]> {
  const wanted = new Set(images);
  const records = [...copy.mirrors.values()]
    .filter((record) => wanted.has(record.image))
    .sort((a, b) => byCodeUnits(a.mirrorId ?? '', b.mirrorId ?? '') || byCodeUnits(a.image, b.image));
  const byMirror = new Map<string, CoverageRecord[]>();
  for (const record of records) {
    const mirrorId = record.mirrorId ?? '';
    const answers = byMirror.get(mirrorId);
    if (answers) answers.push(record);
    else byMirror.set(mirrorId, [record]);
  }
  return byMirror;
}

function failureClassOf(value: string | null): FailureClass | null {
  return value !== null && isFailureClass(value) ? value : null;
}

function fromMirrorRow(row: CoverageCheckRow): CoverageRecord {
  return {
    mirrorId: row.mirrorId,
    image: row.image,
    checkedAt: row.checkedAt,
    ok: row.ok,
    // An unknown stored class (written by a newer version) reads as a transient failure, never as a refusal.
    failureClass: row.ok ? null : (failureClassOf(row.failureClass) ?? 'internal'),
    httpStatus: row.httpStatus,
    detail: row.detail,
    digest: row.digest,
    manifestMs: row.manifestMs,
  };
}

function fromReferenceRow(row: ReferenceImageCheckRow): CoverageRecord {
  return {
    mirrorId: null,
    image: row.image,
    checkedAt: row.checkedAt,
    ok: row.ok,
    failureClass: row.ok ? null : (failureClassOf(row.failureClass) ?? 'internal'),
    httpStatus: null,
    detail: row.detail,
    digest: row.digest,
    manifestMs: null,
  };
}
