import { Controller, Get } from '@nestjs/common';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { RankingService } from '../ranking/ranking.service.js';

@Controller('mirrors')
export class MirrorsController {
  constructor(private readonly ranking: RankingService) {}

  /** Public mirrors, ranked ones first, with their current status and stats. */
  @Get()
  list(): MirrorSummaryDto[] {
    return this.ranking.publicSummaries();
  }
}
