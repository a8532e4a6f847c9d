import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DEFAULT_PATH_STYLE, upstreamOf, type MirrorDefinition, type Visibility } from '@mirrorwatch/domain';
import { mirrorListCacheOf, type MirrorListCache } from './mirror-list-cache.js';
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
  private readonly deletedListeners: ((mirrorId: string) => void)[] = [];

  constructor(private readonly prisma: PrismaService) {}

  /** Looked up on first use: a repository that never reads or writes mirrors needs no client of the factory's. */
  private get cache(): MirrorListCache {
    return mirrorListCacheOf(this.prisma.client);
  }

  /**
   * Makes catalog-sourced rows match the catalog file: upsert by id (re-enabling
   * any that come back), disable the ones no longer listed (their history
   * stays), and never touch mirrors created through the admin API.
   *
   * Only rows that differ are written: a restart with an unchanged catalog
   * writes nothing, so the transaction is one read and one UPDATE and cannot
   * outlive its timeout on a busy machine (issue 16: 100 row-by-row updates
   * under load exceeded Prisma's default 5 s and the start-up failed).
   */
  async syncCatalog(catalog: MirrorDefinition[]): Promise<CatalogSyncSummary> {
    return this.cache.writing(() => this.syncCatalogRows(catalog));
  }

  private async syncCatalogRows(catalog: MirrorDefinition[]): Promise<CatalogSyncSummary> {
    const db = this.prisma.client;
    const rows = await db.mirror.findMany();
    const existing = new Map(rows.map((row) => [row.id, row.source]));
    const stored = new Map(rows.map((row) => [row.id, row]));
    const definitions = catalog.map((definition) => withStoredPrivateId(definition, rows));
    const summary: CatalogSyncSummary = { created: 0, updated: 0, disabled: 0, skippedAdminOwned: [] };
    const catalogIds = definitions.map((definition) => definition.id);
    await db.$transaction(async (tx) => {
      for (const definition of definitions) {
        const previousId = definition.rekeyFrom;
        if (previousId !== null) {
          // Foreign keys cascade on update: probes, incidents, rollups and state follow the new id.
          await tx.mirror.update({ where: { id: previousId }, data: { id: definition.id } });
          existing.set(definition.id, 'catalog');
        }
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
        } else if (previousId !== null || !catalogRowMatches(stored.get(definition.id), data)) {
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

  /** Kept in memory until a mirror changes (mirror-list-cache.ts): the probe cycle and every ranking rebuild ask for it. */
  async listEnabled(): Promise<MirrorDefinition[]> {
    return this.cache.enabled(async () => {
      const rows = await this.prisma.client.mirror.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });
      return rows.map(toDefinition);
    });
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
    return this.cache.writing(() => this.createRow(definition, options));
  }

  private async createRow(definition: MirrorDefinition, options: { enabled?: boolean }): Promise<MirrorRecord> {
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
    return this.cache.writing(() => this.updateRow(id, patch));
  }

  private async updateRow(id: string, patch: MirrorPatch): Promise<MirrorRecord | null> {
    try {
      const { pathPrefix, ...rest } = patch;
      // The column holds '' for "served at the root" (see models.prisma).
      const data = pathPrefix === undefined ? rest : { ...rest, pathPrefix: pathPrefix ?? '' };
      const row = await this.prisma.client.mirror.update({ where: { id }, data });
      return toRecord(row);
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      if (isUniqueViolation(error)) throw new MirrorConflictError(`URL ${patch.url ?? ''} is used by another mirror`, { cause: error });
      throw error;
    }
  }

  /** Deletes the mirror and, by cascade, its probes, incidents, rollups and state. False when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.cache.writing(() => this.prisma.client.mirror.deleteMany({ where: { id } }));
    if (count > 0) for (const listener of this.deletedListeners) listener(id);
    return count > 0;
  }

  /** Told of every mirror deleted through this repository (in-memory windows forget its probes, gone by cascade). */
  onDeleted(listener: (mirrorId: string) => void): void {
    this.deletedListeners.push(listener);
  }
}

/**
 * A private mirror's id must say nothing of its URL (a personal accelerator
 * host is a secret of sorts, and ids appear in metric labels, logs and
 * paths): a random id, stored, so it survives restarts. A private catalog
 * entry keeps the id its URL already has in the database; one stored under
 * the URL slug (before ids were random) is moved to a random id.
 */
function withStoredPrivateId(
  definition: MirrorDefinition,
  rows: readonly { id: string; url: string; pathPrefix: string; source: string }[],
): MirrorDefinition & { rekeyFrom: string | null } {
  if (definition.visibility !== 'private') return { ...definition, rekeyFrom: null };
  const stored = rows.find((row) => row.url === definition.url && row.pathPrefix === (definition.pathPrefix ?? ''));
  if (stored === undefined) return { ...definition, id: newPrivateMirrorId(), rekeyFrom: null };
  if (stored.source !== 'catalog' || isPrivateMirrorId(stored.id)) return { ...definition, id: stored.id, rekeyFrom: null };
  return { ...definition, id: newPrivateMirrorId(), rekeyFrom: stored.id };
}

const PRIVATE_ID = /^private-[0-9a-f]{16}$/;

/** 64 random bits: not derived from anything, so nothing can be guessed or brute-forced from it. */
export function newPrivateMirrorId(): string {
  return `private-${randomBytes(8).toString('hex')}`;
}

export function isPrivateMirrorId(id: string): boolean {
  return PRIVATE_ID.test(id);
}

function catalogRowMatches(
  row: MirrorRow | undefined,
  data: ReturnType<typeof definitionColumns> & { enabled: boolean; source: string },
): boolean {
  if (!row) return false;
  return (Object.keys(data) as Array<keyof typeof data>).every((key) => row[key] === data[key]);
}

function definitionColumns(definition: MirrorDefinition) {
  return {
    url: definition.url,
    name: definition.name,
    provider: definition.provider,
    notes: definition.notes,
    visibility: definition.visibility,
    caPath: definition.caPath,
    upstream: upstreamOf(definition),
    pathPrefix: definition.pathPrefix ?? '',
    pathStyle: definition.pathStyle ?? DEFAULT_PATH_STYLE,
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
    upstream: row.upstream,
    pathPrefix: row.pathPrefix === '' ? null : row.pathPrefix,
    ...(row.pathPrefix === '' ? {} : { pathStyle: row.pathStyle === 'registry-root' ? 'registry-root' : DEFAULT_PATH_STYLE }),
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
