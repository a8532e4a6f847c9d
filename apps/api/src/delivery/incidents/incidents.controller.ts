import { Controller, Get, Query } from '@nestjs/common';
import type { IncidentDto } from '@mirrorwatch/api-types';
import { parseBooleanParam, parseIntegerParam } from '#infrastructure/http/query-parsers.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { IncidentsService } from './incidents.service.js';

export const INCIDENTS_DEFAULT_LIMIT = 50;
export const INCIDENTS_MAX_LIMIT = 500;

@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  list(@Query('mirrorId') mirrorId: unknown, @Query('open') open: unknown, @Query('limit') limit: unknown): Promise<IncidentDto[]> {
    if (mirrorId !== undefined && (typeof mirrorId !== 'string' || mirrorId === '')) {
      throw new InvalidParameterException('mirrorId', 'must be one mirror id');
    }
    return this.incidents.list({
      mirrorId,
      open: parseBooleanParam('open', open),
      limit: parseIntegerParam('limit', limit, { min: 1, max: INCIDENTS_MAX_LIMIT, fallback: INCIDENTS_DEFAULT_LIMIT }),
    });
  }
}
