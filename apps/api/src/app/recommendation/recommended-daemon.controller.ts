import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { RankingService } from '../ranking/ranking.service.js';
import { RateLimit } from '../../services/rate-limit/rate-limit-tier.js';
import { sendServed } from '../exports/served-document.js';
import { servedRecommendedDaemon } from './recommended-daemon-response.js';

/**
 * `curl http://HOST/api/recommended-daemon.json` runs in provisioning scripts
 * on whole fleets: the body comes precomputed from memory, carries a strong
 * ETag (304 on `If-None-Match`) and may be cached for a share of the probe
 * interval. With nothing healthy it is still valid output: an empty list
 * (dockerd then pulls from Docker Hub) plus a warning header, never a 5xx.
 * The common requests never reach this controller: the export wire path
 * (exports/mount-export-wire-path.ts) serves the same bytes before Express.
 */
@Controller()
export class RecommendedDaemonController {
  constructor(
    private readonly ranking: RankingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('recommended-daemon.json')
  @RateLimit('export')
  get(@Query('count') countParam: unknown, @Req() req: Request, @Res() res: Response): void {
    sendServed(req, res, servedRecommendedDaemon(this.ranking, this.config.probeIntervalSeconds, countParam));
  }
}
