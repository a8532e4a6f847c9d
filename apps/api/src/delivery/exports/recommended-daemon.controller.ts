import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
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
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';
import { AdminTokenGuard } from '../admin/admin-token.guard.js';
import { COUNT_QUERY } from './count-query.js';
import { ExportAudiences, VANTAGE_QUERY } from './export-audience.js';
import { ExportsService } from './exports.service.js';
import { bodyText } from './raw-text-body.js';
import { sendExport } from './send-rendered.js';

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
    private readonly audiences: ExportAudiences,
  ) {}

  /** The daemon-json export under its own name; `?vantage=` and VANTAGE_BY_CIDR as on every export (ExportAudiences). */
  @Get('recommended-daemon.json')
  @RateLimit('export')
  @ApiTags('exports')
  @ApiOperation({ summary: 'The recommended /etc/docker/daemon.json: registry-mirrors only, best first' })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiOkResponse({
    description: 'daemon.json; ETag, 304 on If-None-Match, X-Mirrorwatch-Vantage, X-Mirrorwatch-Warning when no mirror is healthy',
  })
  @ApiBadRequestResponse({ description: '`count` is out of range or `vantage` unknown; `field` names it' })
  async get(@Query('count') count: unknown, @Query('vantage') vantage: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendExport(req, res, this.exports, await this.audiences.of(req, vantage), 'daemon-json', { count });
  }

  @Post('recommended-daemon.json')
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiTags('exports')
  @ApiOperation({ summary: "Merge the recommendation into the host's daemon.json: registry-mirrors replaced, every other key kept" })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({ description: 'The current /etc/docker/daemon.json (empty means {})', required: false, schema: { type: 'object' } })
  @ApiOkResponse({ description: 'The merged daemon.json' })
  @ApiBadRequestResponse({
    description: 'The body is not a JSON object, or nests deeper than 32 levels; the message gives line and column, `field` is "body"',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body is over 64 KiB; `field` is "body"' })
  async merge(
    @Body() body: unknown,
    @Query('count') count: unknown,
    @Query('vantage') vantage: unknown,
    @Req() req: Request,
  ): Promise<string> {
    const audience = await this.audiences.of(req, vantage);
    return this.exports.mergeDaemonJson(audience.source, bodyText(body), count);
  }

  @Get('admin/recommended-daemon.json')
  @UseGuards(AdminTokenGuard)
  @ApiTags('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'daemon.json over public and private mirrors' })
  @ApiQuery({ name: 'count', required: false, type: Number })
  adminGet(@Query('count') count: unknown, @Req() req: Request, @Res() res: Response): void {
    sendExport(req, res, this.exports, this.audiences.admin(), 'daemon-json', { count });
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
    return this.exports.mergeDaemonJson(this.audiences.admin().source, bodyText(body), count);
  }
}
