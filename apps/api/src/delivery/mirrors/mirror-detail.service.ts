import { Injectable } from '@nestjs/common';
import type { HistoryWindow, MirrorHistoryDto, MirrorSummaryDto, ProbeDto } from '@mirrorwatch/api-types';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { HistoryService } from '../history/history.service.js';
import { MirrorNotFoundException } from './mirror-not-found.exception.js';
import { PublicMirrorResolver } from './public-mirror.resolver.js';
import { RankingService } from '#ranking/ranking.service.js';
import { toProbeDto } from './probe-dto.mapper.js';

/** One public mirror: its summary (from the in-memory ranking), history and probe log. */
@Injectable()
export class MirrorDetailService {
  constructor(
    private readonly ranking: RankingService,
    private readonly mirrors: PublicMirrorResolver,
    private readonly history: HistoryService,
    private readonly probes: ProbeRepository,
  ) {}

  /** The same row `/api/mirrors` lists; the ranking snapshot already leaves private mirrors out. */
  summary(id: string): MirrorSummaryDto {
    const summary = this.ranking.publicSummaries().find((mirror) => mirror.id === id);
    if (!summary) throw new MirrorNotFoundException(id);
    return summary;
  }

  async historyOf(id: string, window: HistoryWindow, vantageId: string): Promise<MirrorHistoryDto> {
    await this.requirePublic(id);
    return this.history.history(id, window, vantageId);
  }

  /** One vantage's newest probes of the mirror (local: this server's), as its history counts them. */
  async recentProbes(id: string, vantageId: string, limit: number, failuresOnly: boolean): Promise<ProbeDto[]> {
    await this.requirePublic(id);
    return (await this.probes.recent(id, vantageId, limit, { failuresOnly })).map(toProbeDto);
  }

  private async requirePublic(id: string): Promise<void> {
    if (!(await this.mirrors.find(id))) throw new MirrorNotFoundException(id);
  }
}
