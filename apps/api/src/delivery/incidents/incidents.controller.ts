import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import type { IncidentDto } from '@mirrorwatch/api-types';
import { parseBooleanParam, parseIntegerParam } from '#infrastructure/http/query-parsers.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { IncidentsService } from './incidents.service.js';
import { VantageViewsService } from '../vantages/vantage-views.service.js';
import { VANTAGE_READ_QUERY } from '../vantages/vantage-query.js';

export const INCIDENTS_DEFAULT_LIMIT = 50;
export const INCIDENTS_MAX_LIMIT = 500;

@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly views: VantageViewsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Incidents of public mirrors, newest first, as one vantage saw them (default: local)' })
  @ApiQuery(VANTAGE_READ_QUERY)
  @ApiOkResponse({ description: 'Incidents, newest first; each names the vantage that saw it' })
  @ApiBadRequestResponse({ description: 'A parameter is invalid (`vantage` unknown, `limit` out of range, ...); `field` names it' })
  async list(
    @Query('mirrorId') mirrorId: unknown,
    @Query('open') open: unknown,
    @Query('limit') limit: unknown,
    @Query('vantage') vantage: unknown,
  ): Promise<IncidentDto[]> {
    if (mirrorId !== undefined && (typeof mirrorId !== 'string' || mirrorId === '')) {
      throw new InvalidParameterException('mirrorId', 'must be one mirror id');
    }
    return this.incidents.list({
      mirrorId,
      vantageId: await this.views.resolve(vantage, undefined),
      open: parseBooleanParam('open', open),
      limit: parseIntegerParam('limit', limit, { min: 1, max: INCIDENTS_MAX_LIMIT, fallback: INCIDENTS_DEFAULT_LIMIT }),
    });
  }
}
