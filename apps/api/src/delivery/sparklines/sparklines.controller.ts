import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendPreparedJson } from '#infrastructure/http/prepared-json.js';
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
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const sparklines: SparklinesDto = await this.sparklines.cachedSparklines();
    sendPreparedJson(req, res, sparklines);
  }
}
