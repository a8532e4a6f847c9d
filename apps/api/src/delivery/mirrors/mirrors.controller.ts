import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBadRequestResponse, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import {
  HISTORY_WINDOWS,
  PROBES_DEFAULT_LIMIT,
  PROBES_MAX_LIMIT,
  type MirrorHistoryDto,
  type MirrorSummaryDto,
  type ProbeDto,
} from '@mirrorwatch/api-types';
import { parseBooleanParam, parseEnumParam, parseIntegerParam } from '#infrastructure/http/query-parsers.js';
import { sendPreparedJson } from '#infrastructure/http/prepared-json.js';
import { RankingService } from '#ranking/ranking.service.js';
import { MirrorDetailService } from './mirror-detail.service.js';
import { VantageViewsService } from '../vantages/vantage-views.service.js';
import { VANTAGE_READ_QUERY } from '../vantages/vantage-query.js';

/**
 * `/api/mirrors` and `/api/mirrors/:id/...`: the list and the mirror detail
 * page, in one controller so no fixed `mirrors/<word>` route can be shadowed
 * by `:id` through registration order. Unknown and private ids are the same 404.
 */
@Controller('mirrors')
export class MirrorsController {
  constructor(
    private readonly ranking: RankingService,
    private readonly detail: MirrorDetailService,
    private readonly views: VantageViewsService,
  ) {}

  /** Public mirrors, ranked ones first, with their current status and stats (serialised once per ranking rebuild). */
  @Get()
  list(@Req() req: Request, @Res() res: Response): void {
    const summaries: MirrorSummaryDto[] = this.ranking.publicSummaries();
    sendPreparedJson(req, res, summaries);
  }

  @Get(':id')
  get(@Param('id') id: string): MirrorSummaryDto {
    return this.detail.summary(id);
  }

  @Get(':id/history')
  @ApiQuery(VANTAGE_READ_QUERY)
  @ApiOkResponse({ description: "One vantage's probes of the mirror in contiguous buckets, oldest first" })
  @ApiBadRequestResponse({ description: '`window` or `vantage` is invalid; `field` names it' })
  async history(
    @Param('id') id: string,
    @Query('window') window: unknown,
    @Query('vantage') vantage: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const parsedWindow = parseEnumParam('window', window, HISTORY_WINDOWS, '24h');
    const history: MirrorHistoryDto = await this.detail.historyOf(id, parsedWindow, await this.views.resolve(vantage, undefined));
    sendPreparedJson(req, res, history);
  }

  @Get(':id/probes')
  probes(@Param('id') id: string, @Query('limit') limit: unknown, @Query('failuresOnly') failuresOnly: unknown): Promise<ProbeDto[]> {
    const take = parseIntegerParam('limit', limit, { min: 1, max: PROBES_MAX_LIMIT, fallback: PROBES_DEFAULT_LIMIT });
    return this.detail.recentProbes(id, take, parseBooleanParam('failuresOnly', failuresOnly) ?? false);
  }
}
