import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CheckDto } from '@mirrorwatch/api-types';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';
import { CheckRateLimitGuard } from './check-rate-limit.guard.js';
import { ChecksService } from './checks.service.js';

@ApiTags('checks')
@Controller('checks')
export class ChecksController {
  constructor(private readonly checks: ChecksService) {}

  @Post()
  @HttpCode(201)
  @RateLimit('expensive')
  @UseGuards(CheckRateLimitGuard)
  @ApiOperation({
    summary:
      'Check a mirror URL (light probe plus one blob) and answer within 20 s. 400 names `url` for a malformed or refused target (private, loopback, link-local addresses unless ALLOW_PRIVATE_CHECK_TARGETS); 409 while the same URL is being checked; 429 beyond 6 checks per minute per IP; 503 when too many checks run',
  })
  @ApiBody({
    schema: { type: 'object', required: ['url'], properties: { url: { type: 'string', example: 'https://xxxx.mirror.aliyuncs.com' } } },
  })
  create(@Body() body: unknown): Promise<CheckDto> {
    return this.checks.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A finished check again, for 15 minutes after it ran; 404 for an unknown or expired id' })
  get(@Param('id') id: string): CheckDto {
    return this.checks.get(id);
  }
}
