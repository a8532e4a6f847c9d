import { Injectable } from '@nestjs/common';
import type { MirrorDefinition, Visibility } from '@mirrorwatch/domain';
import { isRecordNotFound, isUniqueViolation } from './prisma-errors.js';
import type { MirrorRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';

export type MirrorSource = 'catalog' | 'admin';

/** A stored mirror: its definition plus what only the database knows. */
export interface MirrorRecord extends MirrorDefinition {
  enabled: boolean;
  source: MirrorSource;
  createdAt: Date;
  updatedAt: Date;
}

export type MirrorPatch = Partial<Omit<MirrorDefinition, 'id'>> & { enabled?: boolean };

export interface CatalogSyncSummary {
  created: number;
  updated: number;
  disabled: number;
  /** Catalog entries whose id belongs to an admin-created mirror, left untouched. */
  skippedAdminOwned: string[];
}

/** Thrown when a mirror's id or URL is already taken. */
export class MirrorConflictError extends Error {
  override readonly name = 'MirrorConflictError';
}

@Injectable()
export class MirrorRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Makes catalog-sourced rows match the catalog file: upsert by id (re-enabling
   * any that come back), disable the ones no longer listed (their history
   * stays), and never touch mirrors created through the admin API.
   */
  async syncCatalog(definitions: MirrorDefinition[]): Promise<CatalogSyncSummary> {
    const db = this.prisma.client;
    const existing = new Map((await db.mirror.findMany({ select: { id: true, source: true } })).map((row) => [row.id, row.source]));
    const summary: CatalogSyncSummary = { created: 0, updated: 0, disabled: 0, skippedAdminOwned: [] };
    const catalogIds = definitions.map((definition) => definition.id);
    await db.$transaction(async (tx) => {
      for (const definition of definitions) {
        const source = existing.get(definition.id);
        if (source === 'admin') {
          summary.skippedAdminOwned.push(definition.id);
          continue;
        }
        const data = { ...definitionColumns(definition), enabled: true, source: 'catalog' };
        if (source === undefined) {
          // An upsert, not a create: replicas starting together on a new database sync the same catalog at once.
          await tx.mirror.upsert({ where: { id: definition.id }, create: { id: definition.id, ...data }, update: data });
          summary.created += 1;
        } else {
          await tx.mirror.update({ where: { id: definition.id }, data });
          summary.updated += 1;
        }
      }
      const { count } = await tx.mirror.updateMany({
        where: { source: 'catalog', enabled: true, id: { notIn: catalogIds } },
        data: { enabled: false },
      });
      summary.disabled = count;
    });
    return summary;
  }

  async listEnabled(): Promise<MirrorDefinition[]> {
    const rows = await this.prisma.client.mirror.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });
    return rows.map(toDefinition);
  }

  /** Every mirror, disabled ones included (admin views). */
  async listAll(): Promise<MirrorRecord[]> {
    const rows = await this.prisma.client.mirror.findMany({ orderBy: { id: 'asc' } });
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<MirrorRecord | null> {
    const row = await this.prisma.client.mirror.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** Admin API: a new mirror owned by the admin (catalog sync leaves it alone). */
  async create(definition: MirrorDefinition, options: { enabled?: boolean } = {}): Promise<MirrorRecord> {
    try {
      const row = await this.prisma.client.mirror.create({
        data: { id: definition.id, ...definitionColumns(definition), enabled: options.enabled ?? true, source: 'admin' },
      });
      return toRecord(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new MirrorConflictError(`a mirror with id "${definition.id}" or URL ${definition.url} already exists`, { cause: error });
      }
      throw error;
    }
  }

  /** Returns null when no mirror has this id. */
  async update(id: string, patch: MirrorPatch): Promise<MirrorRecord | null> {
    try {
      const row = await this.prisma.client.mirror.update({ where: { id }, data: patch });
      return toRecord(row);
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      if (isUniqueViolation(error)) throw new MirrorConflictError(`URL ${patch.url ?? ''} is used by another mirror`, { cause: error });
      throw error;
    }
  }

  /** Deletes the mirror and, by cascade, its probes, incidents, rollups and state. False when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.client.mirror.deleteMany({ where: { id } });
    return count > 0;
  }
}

function definitionColumns(definition: MirrorDefinition) {
  return {
    url: definition.url,
    name: definition.name,
    provider: definition.provider,
    notes: definition.notes,
    visibility: definition.visibility,
    caPath: definition.caPath,
  };
}

function toDefinition(row: MirrorRow): MirrorDefinition {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    provider: row.provider,
    notes: row.notes,
    visibility: row.visibility === 'private' ? 'private' : ('public' satisfies Visibility),
    caPath: row.caPath,
  };
}

function toRecord(row: MirrorRow): MirrorRecord {
  return {
    ...toDefinition(row),
    enabled: row.enabled,
    source: row.source === 'admin' ? 'admin' : 'catalog',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
