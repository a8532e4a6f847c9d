import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EXPORT_FORMATS } from '@mirrorwatch/api-types';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { bodyText } from '../exports/exports.controller.js';
import { ExportsService, type ExportQuery } from '../exports/exports.service.js';
import { requestOrigin } from '../exports/request-origin.js';
import { exportMaxAge, sendRendered } from '../exports/send-rendered.js';
import { AdminTokenGuard } from './admin-token.guard.js';

/**
 * The same exports computed over public and private mirrors, for the admin's
 * own hosts. `Cache-Control: private`: the bodies may name a personal
 * accelerator URL, which no shared cache may keep.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class AdminRecommendationController {
  constructor(
    private readonly exports: ExportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('recommended-daemon.json')
  @ApiOperation({ summary: 'daemon.json over public and private mirrors' })
  @ApiQuery({ name: 'count', required: false, type: Number })
  daemonJson(@Query('count') count: unknown, @Req() req: Request, @Res() res: Response): void {
    this.send(req, res, 'daemon-json', { count });
  }

  @Post('recommended-daemon.json')
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Merge the admin recommendation into the host's daemon.json" })
  @ApiQuery({ name: 'count', required: false, type: Number })
  merge(@Body() body: unknown, @Query('count') count: unknown): string {
    return this.exports.mergeDaemonJson('admin', bodyText(body), count);
  }

  @Get('export/:format')
  @ApiOperation({ summary: 'Any export format over public and private mirrors' })
  @ApiParam({ name: 'format', enum: EXPORT_FORMATS })
  @ApiQuery({ name: 'count', required: false, type: Number })
  export(@Param('format') format: string, @Query() query: ExportQuery, @Req() req: Request, @Res() res: Response): void {
    this.send(req, res, format, query);
  }

  private send(req: Request, res: Response, format: string, query: ExportQuery): void {
    const document = this.exports.export('admin', format, query, requestOrigin(req));
    sendRendered(req, res, document, { visibility: 'private', maxAgeSeconds: exportMaxAge(this.config.probeIntervalSeconds) }, this.exports.costHeaders('admin', document));
  }
}
