import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EXPECTED_PULL_MS_HEADER, RECOMMENDED_COUNT_HEADER, RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { parseIntegerParam } from '#infrastructure/http/query-parsers.js';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';
import { AdminTokenGuard } from '../admin/admin-token.guard.js';
import { VantageViewsService } from '../vantages/vantage-views.service.js';
import { COUNT_QUERY } from './count-query.js';
import { ExportsService } from './exports.service.js';
import { bodyText } from './raw-text-body.js';
import { requestOrigin } from './request-origin.js';
import { sendExport, sendRendered, type CachePolicy } from './send-rendered.js';

/** Which vantage's measurements the served list comes from. */
export const VANTAGE_HEADER = 'X-Mirrorwatch-Vantage';

/**
 * `recommended-daemon.json`, public and admin, GET and POST, in one place.
 * `curl http://HOST/api/recommended-daemon.json` runs in provisioning scripts
 * on whole fleets: the GETs take the path every export takes (rendered once
 * per recommendation change, strong ETag and 304 on `If-None-Match`,
 * Cache-Control a share of the probe interval). With nothing healthy the body
 * is still valid (an empty list: dockerd pulls from Docker Hub) plus a
 * warning header, never a 5xx. The POSTs merge the list into the host's own
 * daemon.json.
 */
@Controller()
export class RecommendedDaemonController {
  constructor(
    private readonly exports: ExportsService,
    private readonly views: VantageViewsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `?vantage=ID` gives that network's list (400 naming `vantage` when
   * unknown); without it, a client inside a VANTAGE_BY_CIDR network gets its
   * vantage's list and anyone else the local one. A list chosen by the client's
   * address is `Cache-Control: private`: a shared cache must not hand it to
   * another network.
   */
  @Get('recommended-daemon.json')
  @RateLimit('export')
  @ApiTags('exports')
  @ApiOperation({ summary: 'The recommended /etc/docker/daemon.json: registry-mirrors only, best first' })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery({
    name: 'vantage',
    required: false,
    type: String,
    description: "a vantage id (GET /api/vantages): that network's list; default local, or the VANTAGE_BY_CIDR match",
  })
  @ApiOkResponse({
    description: 'daemon.json; ETag, 304 on If-None-Match, X-Mirrorwatch-Vantage, X-Mirrorwatch-Warning when no mirror is healthy',
  })
  @ApiBadRequestResponse({ description: '`count` is out of range or `vantage` unknown; `field` names it' })
  async get(
    @Query('count') count: unknown,
    @Query('vantage') vantageParam: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const vantage = await this.views.resolve(vantageParam, req.ip);
    res.setHeader(VANTAGE_HEADER, vantage);
    const byAddress = vantageParam === undefined && this.config.vantageByCidr.length > 0;
    if (vantage === LOCAL_VANTAGE_ID && !byAddress) {
      sendExport(req, res, this.exports, 'public', 'daemon-json', { count });
      return;
    }
    const cache: CachePolicy = { visibility: byAddress ? 'private' : 'public', maxAgeSeconds: this.exports.maxAgeSeconds() };
    if (vantage === LOCAL_VANTAGE_ID) {
      const document = this.exports.export('public', 'daemon-json', { count }, requestOrigin(req));
      sendRendered(req, res, document, cache, this.exports.costHeaders('public', document));
      return;
    }
    const served = await this.views.recommendation(vantage, (fallback) =>
      parseIntegerParam('count', count, { min: RECOMMENDED_COUNT_MIN, max: RECOMMENDED_COUNT_MAX, fallback }),
    );
    const { body, etag, mirrors, computedAt } = served.document;
    sendRendered(req, res, { body, etag, mirrors, computedAt, contentType: 'application/json; charset=utf-8' }, cache, {
      [EXPECTED_PULL_MS_HEADER]: String(served.expectedPullMs),
      [RECOMMENDED_COUNT_HEADER]: String(served.recommendedCount),
    });
  }

  @Post('recommended-daemon.json')
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiTags('exports')
  @ApiOperation({ summary: "Merge the recommendation into the host's daemon.json: registry-mirrors replaced, every other key kept" })
  @ApiQuery(COUNT_QUERY)
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({ description: 'The current /etc/docker/daemon.json (empty means {})', required: false, schema: { type: 'object' } })
  @ApiOkResponse({ description: 'The merged daemon.json' })
  @ApiBadRequestResponse({
    description: 'The body is not a JSON object, or nests deeper than 32 levels; the message gives line and column, `field` is "body"',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body is over 64 KiB; `field` is "body"' })
  merge(@Body() body: unknown, @Query('count') count: unknown): string {
    return this.exports.mergeDaemonJson('public', bodyText(body), count);
  }

  @Get('admin/recommended-daemon.json')
  @UseGuards(AdminTokenGuard)
  @ApiTags('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'daemon.json over public and private mirrors' })
  @ApiQuery({ name: 'count', required: false, type: Number })
  adminGet(@Query('count') count: unknown, @Req() req: Request, @Res() res: Response): void {
    sendExport(req, res, this.exports, 'admin', 'daemon-json', { count });
  }

  @Post('admin/recommended-daemon.json')
  @UseGuards(AdminTokenGuard)
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiTags('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Merge the admin recommendation into the host's daemon.json" })
  @ApiQuery({ name: 'count', required: false, type: Number })
  adminMerge(@Body() body: unknown, @Query('count') count: unknown): string {
    return this.exports.mergeDaemonJson('admin', bodyText(body), count);
  }
}
