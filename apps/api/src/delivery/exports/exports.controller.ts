import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EXPORT_FORMATS } from '@mirrorwatch/api-types';
import { COUNT_QUERY } from './count-query.js';
import { ExportsService, type ExportQuery } from './exports.service.js';
import { sendExport } from './send-rendered.js';
import { ExportAudiences, VANTAGE_QUERY } from './export-audience.js';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';

/**
 * Public config exports for provisioning (`curl ... > /etc/...`): rendered
 * once per recommendation change, ETag + Cache-Control, never a 5xx for an
 * empty recommendation (valid output plus `X-Mirrorwatch-Warning`), each
 * from the vantage ExportAudiences picks (`?vantage=`, VANTAGE_BY_CIDR).
 */
@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly audiences: ExportAudiences,
  ) {}

  @Get('export/:format')
  @RateLimit('export')
  @ApiOperation({ summary: 'The current recommendation as one client config (http-proxy-conf: a dockerd proxy drop-in)' })
  @ApiParam({ name: 'format', enum: EXPORT_FORMATS })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiQuery({ name: 'httpProxy', required: false, description: 'http-proxy-conf only' })
  @ApiQuery({ name: 'httpsProxy', required: false, description: 'http-proxy-conf only' })
  @ApiQuery({ name: 'noProxy', required: false, description: 'http-proxy-conf only: comma-separated hosts, domains, IPs or CIDRs' })
  @ApiOkResponse({ description: 'The config file, as text' })
  @ApiBadRequestResponse({ description: 'A parameter is invalid (`vantage` unknown, `count` out of range, ...); `field` names it' })
  @ApiNotFoundResponse({ description: 'Unknown format' })
  async export(@Param('format') format: string, @Query() query: ExportQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendExport(req, res, this.exports, await this.audiences.of(req, query.vantage), format, query);
  }

  /** The install script's own usage line (`curl -fsSL <server>/api/install.sh | sudo bash`) points here. */
  @Get('install.sh')
  @RateLimit('export')
  @ApiOperation({
    summary: 'Install script: backs up and merges /etc/docker/daemon.json, restarts dockerd, verifies, rolls back on failure',
  })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiOkResponse({ description: 'A bash script' })
  @ApiBadRequestResponse({ description: '`count` or `vantage` is invalid; `field` names it' })
  async installScript(
    @Query('count') count: unknown,
    @Query('vantage') vantage: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendExport(req, res, this.exports, await this.audiences.of(req, vantage), 'install-sh', { count });
  }
}
