import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiForbiddenResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AgentTokenDto, IssuedAgentTokenDto, VantageDto } from '@mirrorwatch/api-types';
import { AdminTokenGuard } from '../admin/admin-token.guard.js';
import { AdminVantagesService } from './admin-vantages.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
@ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not set: the admin API is disabled' })
@UseGuards(AdminTokenGuard)
@Controller('admin/vantages')
export class AdminVantagesController {
  constructor(private readonly admin: AdminVantagesService) {}

  @Get()
  @ApiOperation({ summary: 'Every vantage, revoked ones included' })
  list(): Promise<VantageDto[]> {
    return this.admin.list();
  }

  @Post()
  @ApiOperation({ summary: 'Create a vantage (where an agent probes from); 400 names the field, 409 when the id exists' })
  @ApiBody({
    required: true,
    schema: {
      type: 'object',
      properties: { id: { type: 'string', example: 'cn-mobile-gz' }, name: { type: 'string' }, notes: { type: 'string' } },
      required: ['id'],
    },
  })
  create(@Body() body: unknown): Promise<VantageDto> {
    return this.admin.create(body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a vantage: its tokens stop working at once and its results leave every view' })
  revoke(@Param('id') id: string): Promise<void> {
    return this.admin.revoke(id);
  }

  @Get(':id/tokens')
  @ApiOperation({ summary: "A vantage's agent tokens (never the tokens themselves)" })
  tokens(@Param('id') id: string): Promise<AgentTokenDto[]> {
    return this.admin.listTokens(id);
  }

  @Post(':id/tokens')
  @ApiOperation({ summary: 'Issue an agent token: shown in this answer only, stored hashed' })
  @ApiBody({ required: false, schema: { type: 'object', properties: { label: { type: 'string' } } } })
  issue(@Param('id') id: string, @Body() body: unknown): Promise<IssuedAgentTokenDto> {
    return this.admin.issueToken(id, body);
  }

  @Delete(':id/tokens/:tokenId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one agent token (401 for its next request)' })
  revokeToken(@Param('id') id: string, @Param('tokenId') tokenId: string): Promise<void> {
    return this.admin.revokeToken(id, tokenId);
  }
}
