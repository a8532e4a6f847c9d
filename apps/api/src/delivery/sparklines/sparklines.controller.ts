import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SparklinesDto } from '@mirrorwatch/api-types';
import { SparklinesService } from './sparklines.service.js';

@ApiTags('dashboard')
@Controller('sparklines')
export class SparklinesController {
  constructor(private readonly sparklines: SparklinesService) {}

  @Get()
  @ApiOperation({ summary: 'Last 24 h of every public mirror in 24 hourly buckets (success rate, manifest p50), keyed by mirror id' })
  @ApiOkResponse({ description: '{ [mirrorId]: { buckets: [{ start, successRate, manifestP50Ms }] } }' })
  list(): Promise<SparklinesDto> {
    return this.sparklines.cachedSparklines();
  }
}
