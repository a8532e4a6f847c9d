import { Injectable } from '@nestjs/common';
import type { HistoryWindow, MirrorHistoryDto, MirrorSummaryDto, ProbeDto } from '@mirrorwatch/api-types';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { HistoryService } from '../history/history.service.js';
import { MirrorNotFoundException } from './mirror-not-found.exception.js';
import { PublicMirrorResolver } from './public-mirror.resolver.js';
import { RankingService } from '#ranking/ranking.service.js';
import { toProbeDto } from './probe-dto.mapper.js';
import { BoundedMemo } from '#infrastructure/http/bounded-memo.js';
import { ReadGeneration } from '../read-cache/read-generation.js';
import { historyGrid } from '../history/history-grid.js';

/** History windows kept at once: every public mirror's four windows for a few vantages. */
const HISTORY_MEMO_CAPACITY = 2_048;

/** One public mirror: its summary (from the in-memory ranking), history and probe log. */
@Injectable()
export class MirrorDetailService {
  constructor(
    private readonly ranking: RankingService,
    private readonly mirrors: PublicMirrorResolver,
    private readonly history: HistoryService,
    private readonly probes: ProbeRepository,
    private readonly generations: ReadGeneration,
  ) {}

  private readonly histories = new BoundedMemo<MirrorHistoryDto>(HISTORY_MEMO_CAPACITY);

  /** The same row `/api/mirrors` lists; the ranking snapshot already leaves private mirrors out. */
  summary(id: string): MirrorSummaryDto {
    const summary = this.ranking.publicSummaries().find((mirror) => mirror.id === id);
    if (!summary) throw new MirrorNotFoundException(id);
    return summary;
  }

  async historyOf(id: string, window: HistoryWindow, vantageId: string): Promise<MirrorHistoryDto> {
    // Checked on every request: a mirror made private answers 404 at once, whatever is kept.
    await this.requirePublic(id);
    // Computed once per stored result of this mirror (or of the vantage's agents) and grid step, not per visitor.
    const now = new Date();
    const version = `${this.generations.ofMirror(id, vantageId)}:${historyGrid(window, now).from.getTime()}`;
    return this.histories.get(JSON.stringify([id, window, vantageId]), version, () => this.history.history(id, window, vantageId, now));
  }

  async recentProbes(id: string, limit: number, failuresOnly: boolean): Promise<ProbeDto[]> {
    await this.requirePublic(id);
    return (await this.probes.recent(id, limit, { failuresOnly })).map(toProbeDto);
  }

  private async requirePublic(id: string): Promise<void> {
    if (!(await this.mirrors.find(id))) throw new MirrorNotFoundException(id);
  }
}
