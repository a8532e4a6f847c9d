import { Controller, Get } from '@nestjs/common';
import type { StatusSummaryDto } from '@mirrorwatch/api-types';
import { StatusService } from './status.service.js';

@Controller('status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get()
  summary(): Promise<StatusSummaryDto> {
    return this.status.cachedSummary();
  }
}
