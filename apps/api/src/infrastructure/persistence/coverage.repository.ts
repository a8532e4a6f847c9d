import { Injectable } from '@nestjs/common';
import { isFailureClass, type FailureClass } from '@mirrorwatch/domain';
import type { CoverageCheckRow, ReferenceImageCheckRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';

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

/** Coverage evidence: the latest answer per mirror (and vantage) and image, and the reference registry's. */
@Injectable()
export class CoverageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Replaces the mirror's answers for these images (one transaction: a reader never sees half a cycle). */
  async saveMirrorAnswers(mirrorId: string, vantageId: string, answers: readonly CoverageWrite[]): Promise<void> {
    if (answers.length === 0) return;
    await this.prisma.client.$transaction(
      answers.map(({ image, ...data }) =>
        this.prisma.client.coverageCheck.upsert({
          where: { mirrorId_vantageId_image: { mirrorId, vantageId, image } },
          create: { mirrorId, vantageId, image, ...data },
          update: data,
        }),
      ),
    );
  }

  async saveReferenceAnswer(answer: CoverageWrite): Promise<void> {
    const { image, checkedAt, ok, failureClass, detail, digest } = answer;
    const data = { checkedAt, ok, failureClass, detail, digest };
    await this.prisma.client.referenceImageCheck.upsert({ where: { image }, create: { image, ...data }, update: data });
  }

  /** Answers for the given images, per mirror id, for one vantage. */
  async mirrorAnswers(vantageId: string, images: readonly string[]): Promise<Map<string, CoverageRecord[]>> {
    const rows = await this.prisma.client.coverageCheck.findMany({
      where: { vantageId, image: { in: [...images] } },
      orderBy: [{ mirrorId: 'asc' }, { image: 'asc' }],
    });
    const byMirror = new Map<string, CoverageRecord[]>();
    for (const row of rows) byMirror.set(row.mirrorId, [...(byMirror.get(row.mirrorId) ?? []), fromMirrorRow(row)]);
    return byMirror;
  }

  async referenceAnswers(images: readonly string[]): Promise<Map<string, CoverageRecord>> {
    const rows = await this.prisma.client.referenceImageCheck.findMany({ where: { image: { in: [...images] } } });
    return new Map(rows.map((row) => [row.image, fromReferenceRow(row)]));
  }
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
