import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiForbiddenResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AdminMirrorDto } from './admin-mirror.dto.js';
import { AdminMirrorsService } from './admin-mirrors.service.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';

const MIRROR_BODY = {
  schema: {
    type: 'object',
    properties: {
      url: { type: 'string', example: 'https://abc123.mirror.aliyuncs.com' },
      id: { type: 'string', description: 'slug; default derived from the URL (random for private mirrors: private- and 16 hex digits)' },
      name: { type: 'string' },
      provider: { type: 'string', nullable: true },
      notes: { type: 'string', nullable: true },
      visibility: { type: 'string', enum: ['public', 'private'], description: 'default private' },
      enabled: { type: 'boolean' },
    },
  },
};

@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
@ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not set: the admin API is disabled' })
@UseGuards(AdminTokenGuard)
@Controller('admin/mirrors')
export class AdminMirrorsController {
  constructor(private readonly admin: AdminMirrorsService) {}

  @Get()
  @ApiOperation({ summary: 'Every mirror, private and disabled ones included' })
  list(): Promise<AdminMirrorDto[]> {
    return this.admin.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add a mirror (URL checked with dockerd rules; 400 names the field)' })
  @ApiBody({ ...MIRROR_BODY, required: true })
  create(@Body() body: unknown): Promise<AdminMirrorDto> {
    return this.admin.create(body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a mirror' })
  @ApiBody({ ...MIRROR_BODY, required: true })
  update(@Param('id') id: string, @Body() body: unknown): Promise<AdminMirrorDto> {
    return this.admin.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a mirror and its history' })
  remove(@Param('id') id: string): Promise<void> {
    return this.admin.remove(id);
  }

  @Post(':id/probe')
  @RateLimit('expensive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Probe now and return the mirror with its new standing' })
  probe(@Param('id') id: string): Promise<AdminMirrorDto> {
    return this.admin.probeNow(id);
  }
}
