import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import type { AgentTokenDto, IssuedAgentTokenDto, VantageDto } from '@mirrorwatch/api-types';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { VANTAGE_ID_PATTERN } from '#infrastructure/configuration/vantage-by-cidr.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import {
  VantageExistsError,
  VantageRepository,
  type AgentTokenRecord,
  type VantageRecord,
} from '#infrastructure/persistence/vantage.repository.js';
import { agentTokenHash } from '#probing/ingestion/agent-auth.guard.js';
import { fieldPath } from '#infrastructure/http/field-path.js';

const CREATE_SCHEMA = z.strictObject({
  id: z.string().regex(VANTAGE_ID_PATTERN, 'must be a slug: lowercase letters, digits and "-", at most 63 characters'),
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  notes: z.string().trim().max(2000).optional(),
});

const TOKEN_SCHEMA = z.strictObject({ label: z.string().trim().min(1).max(200).optional() });

/** Agent tokens: 32 random bytes, prefixed so a leaked one is recognisable in a scanner or a log. */
const TOKEN_PREFIX = 'mwa_';

/** Creating, listing and revoking vantages, and issuing and revoking their agents' tokens. */
@Injectable()
export class AdminVantagesService {
  constructor(private readonly vantages: VantageRepository) {}

  async list(): Promise<VantageDto[]> {
    return (await this.vantages.list()).map(toVantageDto);
  }

  async create(body: unknown): Promise<VantageDto> {
    const input = parse(CREATE_SCHEMA, body, 'is not a vantage field');
    try {
      return toVantageDto(await this.vantages.create({ id: input.id, name: input.name ?? input.id, notes: input.notes ?? null }));
    } catch (error) {
      if (error instanceof VantageExistsError)
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `id: vantage ${input.id} already exists`, field: 'id' });
      throw error;
    }
  }

  /** Revokes the vantage and all its tokens; its results leave every view. The local vantage is this server and cannot be revoked. */
  async revoke(id: string): Promise<void> {
    if (id === LOCAL_VANTAGE_ID) throw new InvalidParameterException('id', 'the local vantage is this server and cannot be revoked');
    if (!(await this.vantages.revoke(id, new Date()))) throw new NotFoundException(`no vantage ${id}`);
  }

  async issueToken(vantageId: string, body: unknown): Promise<IssuedAgentTokenDto> {
    const input = parse(TOKEN_SCHEMA, body ?? {}, 'is not a token field');
    const vantage = await this.liveVantage(vantageId);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = await this.vantages.createToken({
      id: randomUUID(),
      vantageId: vantage.id,
      tokenHash: agentTokenHash(token),
      label: input.label ?? null,
    });
    return { id: record.id, vantage: record.vantageId, token, label: record.label, createdAt: record.createdAt.toISOString() };
  }

  async listTokens(vantageId: string): Promise<AgentTokenDto[]> {
    if ((await this.vantages.findById(vantageId)) === null) throw new NotFoundException(`no vantage ${vantageId}`);
    return (await this.vantages.listTokens(vantageId)).map(toTokenDto);
  }

  async revokeToken(vantageId: string, tokenId: string): Promise<void> {
    if (!(await this.vantages.revokeToken(vantageId, tokenId, new Date())))
      throw new NotFoundException(`no token ${tokenId} for vantage ${vantageId}`);
  }

  private async liveVantage(id: string): Promise<VantageRecord> {
    const vantage = await this.vantages.findById(id);
    if (vantage === null) throw new NotFoundException(`no vantage ${id}`);
    if (id === LOCAL_VANTAGE_ID) throw new InvalidParameterException('id', 'the local vantage is this server; create a vantage for agents');
    if (vantage.revokedAt !== null) throw new InvalidParameterException('id', `vantage ${id} is revoked`);
    return vantage;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, unknownKeyMessage: string): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidParameterException('body', 'must be a JSON object');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') throw new InvalidParameterException(fieldPath([String(issue.keys[0])]), unknownKeyMessage);
  throw new InvalidParameterException(issue?.path.length ? fieldPath(issue.path) : 'body', issue?.message ?? 'invalid value');
}

function toVantageDto(record: VantageRecord): VantageDto {
  return {
    id: record.id,
    name: record.name,
    notes: record.notes,
    createdAt: record.createdAt.toISOString(),
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}

function toTokenDto(record: AgentTokenRecord): AgentTokenDto {
  return {
    id: record.id,
    vantage: record.vantageId,
    label: record.label,
    createdAt: record.createdAt.toISOString(),
    revokedAt: record.revokedAt?.toISOString() ?? null,
    lastSeenAt: record.lastSeenAt?.toISOString() ?? null,
    lastClockSkewMs: record.lastClockSkewMs,
  };
}
