import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  EXPECTED_PULL_MS_HEADER,
  NO_HEALTHY_MIRRORS_HEADER,
  RECOMMENDED_COUNT_HEADER,
  RECOMMENDED_COUNT_MAX,
  RECOMMENDED_COUNT_MIN,
} from '@mirrorwatch/api-types';
import { Inject } from '@nestjs/common';
import { parseIntegerParam } from '../../common/query-parsers.js';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { RankingService } from '../ranking/ranking.service.js';
import { RateLimit } from '../../services/rate-limit/rate-limit-tier.js';

export const NO_HEALTHY_MIRRORS_WARNING = 'no healthy mirror; dockerd will pull from Docker Hub directly';

/**
 * `curl http://HOST/api/recommended-daemon.json` runs in provisioning scripts
 * on whole fleets: the body comes precomputed from memory, carries a strong
 * ETag (304 on `If-None-Match`) and may be cached for a share of the probe
 * interval. With nothing healthy it is still valid output: an empty list
 * (dockerd then pulls from Docker Hub) plus a warning header, never a 5xx.
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
    const count = parseIntegerParam('count', countParam, {
      min: RECOMMENDED_COUNT_MIN,
      max: RECOMMENDED_COUNT_MAX,
      // Without `count`, the length where one more mirror no longer pays for itself.
      fallback: this.ranking.recommendedCount('public'),
    });
    const document = this.ranking.publicRecommendation(count);
    res.setHeader(EXPECTED_PULL_MS_HEADER, String(this.ranking.expectedPullMs('public', document.mirrors)));
    res.setHeader(RECOMMENDED_COUNT_HEADER, String(this.ranking.recommendedCount('public')));
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', document.etag);
    res.setHeader('Cache-Control', `public, max-age=${Math.max(5, Math.floor(this.config.probeIntervalSeconds / 2))}`);
    res.setHeader('Last-Modified', document.computedAt.toUTCString());
    if (document.mirrors.length === 0) res.setHeader(NO_HEALTHY_MIRRORS_HEADER, NO_HEALTHY_MIRRORS_WARNING);
    if (matchesEtag(req.headers['if-none-match'], document.etag)) {
      res.status(304).end();
      return;
    }
    res.status(200).send(document.body);
  }
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
