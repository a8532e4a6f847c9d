import { Injectable } from '@nestjs/common';
import { sqlTagsOf, type RecommendationRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';
import { quoted, replacedBy } from './outcome-statements.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

export const RECOMMENDATION_SCOPES = ['public', 'admin'] as const;
export type RecommendationScope = (typeof RECOMMENDATION_SCOPES)[number];

/** One published recommended list: what fleets' daemon.json get for this scope and count. */
export interface StoredRecommendation {
  scope: RecommendationScope;
  count: number;
  /** Mirror URLs, best first. */
  mirrors: string[];
  /** When the list took its current form (served as Last-Modified). */
  updatedAt: Date;
}

/**
 * The recommendation incumbents, shared by every replica and kept across
 * restarts: the scheduler writes a list when it changes, followers serve what
 * is stored, so fleets see one stable list whichever replica they reach.
 * One set per vantage: the local one's (public and admin), and each remote
 * vantage's (public).
 */
@Injectable()
export class RecommendationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every readable stored list; a row that cannot be read is left out (the scheduler rewrites it on its next change check). */
  async loadAll(vantageId: string = LOCAL_VANTAGE_ID): Promise<StoredRecommendation[]> {
    const rows = await this.prisma.client.recommendation.findMany({ where: { vantageId }, orderBy: [{ scope: 'asc' }, { count: 'asc' }] });
    return rows.map(toStored).filter((entry): entry is StoredRecommendation => entry !== null);
  }

  /**
   * Writes the given lists (the ones that changed) in one statement, so a reader never sees half a cycle's
   * changes. Raw SQL, as the probe rows' (outcome-statements.ts): the scheduler stores a list whenever a
   * cycle changes it, and through the model API each list was an upsert compiled by Prisma's query compiler
   * on the API thread (issue 10).
   */
  async saveChanged(entries: readonly StoredRecommendation[], vantageId: string = LOCAL_VANTAGE_ID): Promise<void> {
    // The last entry per list: PostgreSQL refuses to update a row twice in one statement.
    const latest = [...new Map(entries.map((entry) => [`${entry.scope}/${entry.count}`, entry])).values()];
    if (latest.length === 0) return;
    const { sql, join, raw } = sqlTagsOf(this.prisma.client);
    const rows = latest.map(
      ({ scope, count, mirrors, updatedAt }) => sql`(${join([vantageId, scope, count, JSON.stringify(mirrors), updatedAt])})`,
    );
    await this.prisma.client.$executeRaw(
      sql`INSERT INTO "Recommendation" (${raw(quoted(['vantageId', 'scope', 'count', 'mirrors', 'updatedAt']))}) VALUES ${join(rows)}
        ON CONFLICT ("vantageId", "scope", "count") DO UPDATE SET ${raw(replacedBy(['mirrors', 'updatedAt']))}`,
    );
  }
}

function toStored(row: RecommendationRow): StoredRecommendation | null {
  const scope = RECOMMENDATION_SCOPES.find((known) => known === row.scope);
  const mirrors = parseMirrors(row.mirrors);
  if (!scope || !mirrors) return null;
  return { scope, count: row.count, mirrors, updatedAt: row.updatedAt };
}

function parseMirrors(text: string): string[] | null {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((url) => typeof url === 'string') ? (value as string[]) : null;
  } catch {
    return null;
  }
}
