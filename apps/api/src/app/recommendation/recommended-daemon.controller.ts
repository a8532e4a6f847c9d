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
import { VantageViewsService } from '../vantages/vantage-views.service.js';
import { RateLimit } from '../../services/rate-limit/rate-limit-tier.js';

/** Which vantage's measurements the served list comes from. */
export const VANTAGE_HEADER = 'X-Mirrorwatch-Vantage';

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
    private readonly views: VantageViewsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `?vantage=ID` gives that network's list (400 naming `vantage` when
   * unknown); without it, a client inside a VANTAGE_BY_CIDR network gets its
   * vantage's list, anyone else the local one. The vantage served is in
   * `X-Mirrorwatch-Vantage`.
   */
  @Get('recommended-daemon.json')
  @RateLimit('export')
  async get(@Query('count') countParam: unknown, @Query('vantage') vantageParam: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const vantage = await this.views.resolve(vantageParam, req.ip);
    const served = await this.views.recommendation(vantage, (fallback) =>
      parseIntegerParam('count', countParam, {
        min: RECOMMENDED_COUNT_MIN,
        max: RECOMMENDED_COUNT_MAX,
        // Without `count`, the length where one more mirror no longer pays for itself.
        fallback,
      }),
    );
    const document = served.document;
    res.setHeader(EXPECTED_PULL_MS_HEADER, String(served.expectedPullMs));
    res.setHeader(RECOMMENDED_COUNT_HEADER, String(served.recommendedCount));
    res.setHeader(VANTAGE_HEADER, served.vantage);
    // A CIDR-chosen list differs by client: shared caches must not hand it to another network.
    if (vantageParam === undefined && this.config.vantageByCidr.length > 0) res.setHeader('Cache-Control', 'private');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', document.etag);
    if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', `public, max-age=${Math.max(5, Math.floor(this.config.probeIntervalSeconds / 2))}`);
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
