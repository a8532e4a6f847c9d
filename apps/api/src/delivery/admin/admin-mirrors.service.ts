import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { MirrorConflictError, MirrorRepository, type MirrorRecord } from '#infrastructure/persistence/mirror.repository.js';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';
import { ProbeSchedulerService } from '#probing/probe-scheduler.service.js';
import { RankingService } from '#ranking/ranking.service.js';
import type { AdminMirrorDto } from './admin-mirror.dto.js';
import { parseMirrorCreation, parseMirrorPatch } from './admin-mirror-input.js';

/**
 * Create, change, delete and probe mirrors. Every change rebuilds the ranking
 * at once so public endpoints stop (or start) serving a mirror without
 * waiting for the next cycle. Logs name mirrors by id only: a private
 * mirror's URL is a personal accelerator address.
 */
@Injectable()
export class AdminMirrorsService {
  private readonly logger = new Logger(AdminMirrorsService.name);

  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly ranking: RankingService,
    private readonly scheduler: ProbeSchedulerService,
    private readonly metrics: MetricsService,
  ) {}

  async list(): Promise<AdminMirrorDto[]> {
    const standing = new Map(this.ranking.adminSummaries().map((summary) => [summary.id, summary]));
    return (await this.mirrors.listAll()).map((record) => toDto(record, standing.get(record.id)));
  }

  async create(body: unknown): Promise<AdminMirrorDto> {
    const { definition, enabled } = parseMirrorCreation(body);
    const record = await this.conflictsAs409(() => this.mirrors.create(definition, { enabled }));
    this.logger.log({ msg: 'admin created a mirror', mirror: record.id, visibility: record.visibility });
    await this.ranking.rebuild();
    return this.one(record.id);
  }

  async update(id: string, body: unknown): Promise<AdminMirrorDto> {
    const patch = parseMirrorPatch(body);
    const record = await this.conflictsAs409(() => this.mirrors.update(id, patch));
    if (!record) throw notFound(id);
    this.logger.log({ msg: 'admin updated a mirror', mirror: id, fields: Object.keys(patch) });
    await this.ranking.rebuild();
    return this.one(id);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.mirrors.delete(id))) throw notFound(id);
    this.logger.log({ msg: 'admin deleted a mirror', mirror: id });
    await this.metrics.forgetMirror(id);
    await this.ranking.rebuild();
  }

  /**
   * Probes now through the scheduler (one cycle, overlap-guarded like any
   * other). A cycle already in flight may have listed mirrors before this one
   * existed or was enabled, so when the mirror has no probe newer than the
   * request after joining it, one more cycle runs.
   */
  async probeNow(id: string): Promise<AdminMirrorDto> {
    const requestedAt = Date.now();
    const record = await this.mirrors.findById(id);
    if (!record) throw notFound(id);
    await this.scheduler.runNow();
    if (
      !probedSince(
        this.ranking.adminSummaries().find((s) => s.id === id),
        requestedAt,
      )
    )
      await this.scheduler.runNow();
    return this.one(id);
  }

  private async one(id: string): Promise<AdminMirrorDto> {
    const record = await this.mirrors.findById(id);
    if (!record) throw notFound(id);
    return toDto(
      record,
      this.ranking.adminSummaries().find((summary) => summary.id === id),
    );
  }

  private async conflictsAs409<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof MirrorConflictError) throw new ConflictException(error.message);
      throw error;
    }
  }
}

function probedSince(summary: MirrorSummaryDto | undefined, since: number): boolean {
  return summary?.lastProbeAt != null && Date.parse(summary.lastProbeAt) >= since;
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`no mirror with id ${JSON.stringify(id)}`);
}

function toDto(record: MirrorRecord, summary: MirrorSummaryDto | undefined): AdminMirrorDto {
  return {
    id: record.id,
    name: record.name,
    url: record.url,
    provider: record.provider,
    notes: record.notes,
    visibility: record.visibility,
    enabled: record.enabled,
    source: record.source,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    status: summary?.status ?? 'unknown',
    failureClass: summary?.failureClass ?? null,
    lastProbeAt: summary?.lastProbeAt ?? null,
    latencyMs: summary?.latencyMs ?? null,
    rank: summary?.rank ?? null,
    eligible: summary?.eligible ?? false,
  };
}
