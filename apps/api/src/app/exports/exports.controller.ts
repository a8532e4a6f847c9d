import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiPayloadTooLargeResponse, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EXPORT_FORMATS, RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { ExportsService, type ExportQuery } from './exports.service.js';
import { sendServed } from './served-document.js';
import { requestOrigin } from './request-origin.js';
import { RateLimit } from '../../services/rate-limit/rate-limit-tier.js';

const COUNT_QUERY = {
  name: 'count',
  required: false,
  description: `mirrors to include (${RECOMMENDED_COUNT_MIN}-${RECOMMENDED_COUNT_MAX}); default: the recommended length (X-Mirrorwatch-Recommended-Count), where one more mirror no longer pays for itself`,
  type: Number,
};

/**
 * Public config exports for provisioning (`curl ... > /etc/...`): rendered
 * once per recommendation change, ETag + Cache-Control, never a 5xx for an
 * empty recommendation (valid output plus `X-Mirrorwatch-Warning`).
 */
@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('export/:format')
  @RateLimit('export')
  @ApiOperation({ summary: 'The current recommendation as one client config (http-proxy-conf: a dockerd proxy drop-in)' })
  @ApiParam({ name: 'format', enum: EXPORT_FORMATS })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery({ name: 'httpProxy', required: false, description: 'http-proxy-conf only' })
  @ApiQuery({ name: 'httpsProxy', required: false, description: 'http-proxy-conf only' })
  @ApiQuery({ name: 'noProxy', required: false, description: 'http-proxy-conf only: comma-separated hosts, domains, IPs or CIDRs' })
  @ApiOkResponse({ description: 'The config file, as text' })
  @ApiBadRequestResponse({ description: 'A parameter is invalid; `field` names it' })
  @ApiNotFoundResponse({ description: 'Unknown format' })
  export(@Param('format') format: string, @Query() query: ExportQuery, @Req() req: Request, @Res() res: Response): void {
    sendServed(req, res, this.exports.servedPublicExport(format, query, requestOrigin(req)));
  }

  /** The install script's own usage line (`curl -fsSL <server>/api/install.sh | sudo bash`) points here. */
  @Get('install.sh')
  @RateLimit('export')
  @ApiOperation({ summary: 'Install script: backs up and merges /etc/docker/daemon.json, restarts dockerd, verifies, rolls back on failure' })
  @ApiQuery(COUNT_QUERY)
  @ApiOkResponse({ description: 'A bash script' })
  installScript(@Query('count') count: unknown, @Req() req: Request, @Res() res: Response): void {
    sendServed(req, res, this.exports.servedPublicExport('install-sh', { count }, requestOrigin(req)));
  }

  @Post('recommended-daemon.json')
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Merge the recommendation into the host's daemon.json: registry-mirrors replaced, every other key kept" })
  @ApiQuery(COUNT_QUERY)
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({ description: 'The current /etc/docker/daemon.json (empty means {})', required: false, schema: { type: 'object' } })
  @ApiOkResponse({ description: 'The merged daemon.json' })
  @ApiBadRequestResponse({ description: 'The body is not a JSON object, or nests deeper than 32 levels; the message gives line and column, `field` is "body"' })
  @ApiPayloadTooLargeResponse({ description: 'The body is over 64 KiB; `field` is "body"' })
  merge(@Body() body: unknown, @Query('count') count: unknown): string {
    return this.exports.mergeDaemonJson('public', bodyText(body), count);
  }
}

/**
 * The merge routes receive the raw text (see raw-text-body.ts) so a syntax
 * error can be reported with its line and column. An object only arrives if
 * another JSON parser ran first; re-serializing it loses nothing we keep.
 */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body === 'object' && Object.keys(body).length === 0) return '';
  return JSON.stringify(body);
}
