import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendPreparedJson } from '#infrastructure/http/prepared-json.js';
import type { StatusSummaryDto } from '@mirrorwatch/api-types';
import { StatusService } from './status.service.js';

@Controller('status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  /** Computed and serialised once per generation and day (StatusService.cachedSummary); ETag, 304 on If-None-Match. */
  @Get()
  async summary(@Req() req: Request, @Res() res: Response): Promise<void> {
    const summary: StatusSummaryDto = await this.status.cachedSummary();
    sendPreparedJson(req, res, summary);
  }
}
