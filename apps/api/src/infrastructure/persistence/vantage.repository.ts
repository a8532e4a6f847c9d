import { Injectable } from '@nestjs/common';
import { sqlTagsOf } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';
import { isUniqueViolation } from './prisma-errors.js';
import { quoted } from './outcome-statements.js';

export interface VantageRecord {
  id: string;
  name: string;
  notes: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface AgentTokenRecord {
  id: string;
  vantageId: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
  lastClockSkewMs: number | null;
}

/** A live token with its (live) vantage: what agent authentication needs. */
export interface AgentIdentity {
  tokenId: string;
  vantageId: string;
}

export class VantageExistsError extends Error {
  constructor(readonly vantageId: string) {
    super(`vantage ${vantageId} already exists`);
    this.name = 'VantageExistsError';
  }
}

/** Vantages (where probes run from) and the hashed tokens of their agents. */
@Injectable()
export class VantageRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(input: { id: string; name: string; notes: string | null }): Promise<VantageRecord> {
    try {
      return await this.prisma.client.vantage.create({ data: input, select: VANTAGE_COLUMNS });
    } catch (error) {
      if (isUniqueViolation(error)) throw new VantageExistsError(input.id);
      throw error;
    }
  }

  /**
   * Every vantage by id. Raw SQL: the vantage views read the list after every light cycle and every few
   * seconds while exports are asked for, and through the model API each read was a pass of Prisma's query
   * compiler on the API thread (issue 10).
   */
  async list(): Promise<VantageRecord[]> {
    const { sql, raw } = sqlTagsOf(this.prisma.client);
    return this.prisma.client.$queryRaw<VantageRecord[]>(
      sql`SELECT ${raw(quoted(Object.keys(VANTAGE_COLUMNS)))} FROM "Vantage" ORDER BY "id" ASC`,
    );
  }

  async findById(id: string): Promise<VantageRecord | null> {
    return this.prisma.client.vantage.findUnique({ where: { id }, select: VANTAGE_COLUMNS });
  }

  /** Revokes a vantage and every token of it; false when there is no such vantage. */
  async revoke(id: string, at: Date): Promise<boolean> {
    return this.prisma.client.$transaction(async (tx) => {
      const { count } = await tx.vantage.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      await tx.agentToken.updateMany({ where: { vantageId: id, revokedAt: null }, data: { revokedAt: at } });
      return count > 0 || (await tx.vantage.count({ where: { id } })) > 0;
    });
  }

  async createToken(input: { id: string; vantageId: string; tokenHash: string; label: string | null }): Promise<AgentTokenRecord> {
    return this.prisma.client.agentToken.create({ data: input, select: TOKEN_COLUMNS });
  }

  async listTokens(vantageId: string): Promise<AgentTokenRecord[]> {
    return this.prisma.client.agentToken.findMany({ where: { vantageId }, select: TOKEN_COLUMNS, orderBy: { createdAt: 'asc' } });
  }

  /** False when the token does not exist under that vantage. Revoking twice keeps the first time. */
  async revokeToken(vantageId: string, tokenId: string, at: Date): Promise<boolean> {
    const existing = await this.prisma.client.agentToken.findFirst({ where: { id: tokenId, vantageId }, select: { revokedAt: true } });
    if (existing === null) return false;
    if (existing.revokedAt === null) await this.prisma.client.agentToken.update({ where: { id: tokenId }, data: { revokedAt: at } });
    return true;
  }

  /** The live token with this hash and its vantage, or null when unknown or revoked (either one). */
  async identify(tokenHash: string): Promise<AgentIdentity | null> {
    const row = await this.prisma.client.agentToken.findUnique({
      where: { tokenHash },
      select: { id: true, vantageId: true, revokedAt: true, vantage: { select: { revokedAt: true } } },
    });
    if (row === null || row.revokedAt !== null || row.vantage.revokedAt !== null) return null;
    return { tokenId: row.id, vantageId: row.vantageId };
  }

  /** Records that the agent spoke and how far its clock was off. */
  async touch(tokenId: string, at: Date, clockSkewMs: number): Promise<void> {
    await this.prisma.client.agentToken.update({ where: { id: tokenId }, data: { lastSeenAt: at, lastClockSkewMs: clockSkewMs } });
  }
}

const VANTAGE_COLUMNS = { id: true, name: true, notes: true, createdAt: true, revokedAt: true } as const;
const TOKEN_COLUMNS = {
  id: true,
  vantageId: true,
  label: true,
  createdAt: true,
  revokedAt: true,
  lastSeenAt: true,
  lastClockSkewMs: true,
} as const;
