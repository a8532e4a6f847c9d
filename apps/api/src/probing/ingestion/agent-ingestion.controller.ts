import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { AgentConfigDto, AgentResultAckDto } from '@mirrorwatch/api-types';
import type { AgentIdentity } from '#infrastructure/persistence/vantage.repository.js';
import { AgentAuthGuard, type AgentRequest } from './agent-auth.guard.js';
import { AgentIngestionService } from './agent-ingestion.service.js';

/** The agent protocol (libs/api-types agents.ts): configuration out, results in, per-agent token. */
@Controller('agent')
@UseGuards(AgentAuthGuard)
export class AgentIngestionController {
  constructor(private readonly ingestion: AgentIngestionService) {}

  @Get('config')
  config(@Req() req: AgentRequest): Promise<AgentConfigDto> {
    return this.ingestion.agentConfig(req.agent as AgentIdentity);
  }

  @Post('results')
  @HttpCode(200)
  results(@Req() req: AgentRequest, @Body() body: unknown): Promise<AgentResultAckDto> {
    return this.ingestion.ingest(req.agent as AgentIdentity, body);
  }
}
