import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { RankingService } from '#ranking/ranking.service.js';
import { renderBadge } from './render-badge.js';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';

/**
 * `GET /api/badge/:id`: an SVG status badge for READMEs and wikis. An unknown
 * or private id still gets an image (a grey "unknown"), so an embedding page
 * shows a badge rather than a broken-image icon, but with a 404 status.
 */
@Controller('badge')
@RateLimit('export')
export class BadgeController {
  constructor(
    private readonly ranking: RankingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':id')
  badge(@Param('id') id: string, @Res() res: Response): void {
    // Keyed by id only: `/api/badge/x.svg` is how badges are usually linked.
    const mirrorId = id.endsWith('.svg') ? id.slice(0, -4) : id;
    const summary = this.ranking.publicSummaries().find((mirror) => mirror.id === mirrorId);
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    // Image proxies (GitHub's camo) honour this: a badge may lag the status by at most half a probe interval.
    res.setHeader('Cache-Control', `public, max-age=${Math.max(5, Math.floor(this.config.probeIntervalSeconds / 2))}`);
    res.status(summary ? 200 : 404).send(renderBadge(summary?.status ?? 'unknown', summary?.upstream));
  }
}
