import { Injectable } from '@nestjs/common';
import {
  decodeMirrorVerdictFacts,
  encodeMirrorVerdictFacts,
  MIRROR_VERDICT_FACTS_VERSION,
  type MirrorVerdictFacts,
} from './mirror-verdict-facts.js';
import { PrismaService } from './prisma.service.js';
import { countVantageRows } from './vantage-row-count.js';

const REFERENCE_SOURCES = ['upstream', 'majority'] as const;
export type StoredReferenceSource = (typeof REFERENCE_SOURCES)[number];

export interface StoredReference {
  digest: string;
  source: StoredReferenceSource;
  firstSeenAt: Date | null;
}

/** One cycle's conclusions for one vantage and probed image: the reference and each mirror's verdicts. */
export interface StoredEvaluation {
  reference: StoredReference | null;
  /** By mirror id; a mirror without a row (or with an unreadable one) has no verdict yet. */
  verdicts: ReadonlyMap<string, MirrorVerdictFacts>;
  evaluatedAt: Date;
}

/**
 * The scheduler's end-of-cycle conclusions, shared by every replica: the
 * leader writes them at the end of a cycle that changed them, and every
 * replica serves what is stored (the leader from its own copy of it,
 * StoredEvaluations), so a follower, or a leader that just took over, shows
 * the same freshness as the replica that decided it.
 */
@Injectable()
export class VerdictRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Replaces the stored evaluation in one transaction: a reader sees the
   * previous cycle's or this cycle's, never a mix. Verdicts of mirrors deleted
   * since the cycle began are dropped (their rows would break the foreign key).
   */
  async save(vantageId: string, image: string, evaluation: StoredEvaluation): Promise<void> {
    await this.saveAll(vantageId, [{ image, reference: evaluation.reference }], evaluation.verdicts, evaluation.evaluatedAt);
  }

  /**
   * One cycle over several probed images (each upstream's): a reference per
   * image, and the verdicts of every mirror at once, since a mirror's verdict
   * row is per vantage, not per image (each mirror has one upstream).
   * Returns the ids of the mirrors whose verdicts were stored.
   */
  async saveAll(
    vantageId: string,
    references: readonly { image: string; reference: StoredReference | null }[],
    verdicts: ReadonlyMap<string, MirrorVerdictFacts>,
    evaluatedAt: Date,
  ): Promise<ReadonlySet<string>> {
    const client = this.prisma.client;
    const ids = [...verdicts.keys()];
    const existing = new Set((await client.mirror.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id));
    await client.$transaction([
      ...references.map(({ image, reference }) => {
        const referenceData = {
          digest: reference?.digest ?? null,
          source: reference?.source ?? null,
          firstSeenAt: reference?.firstSeenAt ?? null,
          evaluatedAt,
        };
        return client.referenceDigest.upsert({
          where: { vantageId_image: { vantageId, image } },
          create: { vantageId, image, ...referenceData },
          update: referenceData,
        });
      }),
      client.mirrorVerdict.deleteMany({ where: { vantageId } }),
      client.mirrorVerdict.createMany({
        data: [...verdicts]
          .filter(([mirrorId]) => existing.has(mirrorId))
          .map(([mirrorId, facts]) => ({
            mirrorId,
            vantageId,
            version: MIRROR_VERDICT_FACTS_VERSION,
            facts: encodeMirrorVerdictFacts(facts),
            evaluatedAt,
          })),
      }),
    ]);
    return existing;
  }

  /** How many verdict rows the vantage has (the scheduler checks its copy of them against it). */
  async countVerdicts(vantageId: string): Promise<number> {
    return countVantageRows(this.prisma.client, 'MirrorVerdict', vantageId);
  }

  /** The latest stored evaluation, or null before the first cycle ever ended. */
  async load(vantageId: string, image: string): Promise<StoredEvaluation | null> {
    return (await this.loadAll(vantageId, [image])).get(image) ?? null;
  }

  /**
   * The latest stored evaluation of each of `images` that has one, in one
   * transaction of two statements (the verdict rows are per vantage, shared
   * by every image): the ranking reads every upstream's on each rebuild.
   */
  async loadAll(vantageId: string, images: readonly string[]): Promise<Map<string, StoredEvaluation>> {
    const client = this.prisma.client;
    // One transaction: the references and the verdicts of the same cycle.
    const [referenceRows, verdictRows] = await client.$transaction([
      client.referenceDigest.findMany({ where: { vantageId, image: { in: [...images] } } }),
      client.mirrorVerdict.findMany({ where: { vantageId }, orderBy: { mirrorId: 'asc' } }),
    ]);
    const verdicts = new Map<string, MirrorVerdictFacts>();
    for (const row of verdictRows) {
      const facts = decodeMirrorVerdictFacts(row.version, row.facts);
      if (facts) verdicts.set(row.mirrorId, facts);
    }
    const evaluations = new Map<string, StoredEvaluation>();
    for (const referenceRow of referenceRows) {
      const source = REFERENCE_SOURCES.find((known) => known === referenceRow.source);
      const reference =
        referenceRow.digest !== null && source ? { digest: referenceRow.digest, source, firstSeenAt: referenceRow.firstSeenAt } : null;
      evaluations.set(referenceRow.image, { reference, verdicts, evaluatedAt: referenceRow.evaluatedAt });
    }
    return evaluations;
  }
}
