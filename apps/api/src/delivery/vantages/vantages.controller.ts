import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MirrorSummaryDto, VantageMatrixDto } from '@mirrorwatch/api-types';
import { VantageViewsService } from './vantage-views.service.js';

/** Public per-vantage views: which networks probe, and what each one sees (public mirrors only). */
@ApiTags('vantages')
@Controller('vantages')
export class VantagesController {
  constructor(private readonly views: VantageViewsService) {}

  @Get()
  @ApiOperation({ summary: 'Live vantages (where probes run from), `local` included' })
  async list(): Promise<{ id: string; name: string }[]> {
    return (await this.views.liveVantages()).map(({ id, name }) => ({ id, name }));
  }

  @Get('matrix')
  @ApiOperation({ summary: 'Public mirrors x vantages: the status each vantage sees' })
  matrix(): Promise<VantageMatrixDto> {
    return this.views.matrix();
  }

  @Get(':id/mirrors')
  @ApiOperation({ summary: 'The ranking as seen from one vantage (400 naming `vantage` when unknown)' })
  async mirrors(@Param('id') id: string): Promise<MirrorSummaryDto[]> {
    return this.views.summaries(await this.views.resolve(id, undefined));
  }
}
