import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EXPORT_FORMATS } from '@mirrorwatch/api-types';
import { ExportsService, type ExportQuery } from './exports.service.js';
import { sendExport } from './send-rendered.js';
import { AdminTokenGuard } from '../admin/admin-token.guard.js';
import { ExportAudiences } from './export-audience.js';

/**
 * The same exports computed over public and private mirrors, for the admin's
 * own hosts (`Cache-Control: private`, see sendExport). The admin
 * daemon.json routes live with the public ones in RecommendedDaemonController.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('admin')
export class AdminExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly audiences: ExportAudiences,
  ) {}

  @Get('export/:format')
  @ApiOperation({ summary: 'Any export format over public and private mirrors' })
  @ApiParam({ name: 'format', enum: EXPORT_FORMATS })
  @ApiQuery({ name: 'count', required: false, type: Number })
  export(@Param('format') format: string, @Query() query: ExportQuery, @Req() req: Request, @Res() res: Response): void {
    sendExport(req, res, this.exports, this.audiences.admin(), format, query);
  }
}
