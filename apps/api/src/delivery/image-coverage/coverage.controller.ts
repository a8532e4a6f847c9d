import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CoverageOverviewDto } from '@mirrorwatch/api-types';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { CoverageService } from '#probing/coverage/coverage.service.js';

@ApiTags('mirrors')
@Controller('coverage')
export class CoverageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly coverage: CoverageService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The coverage images and which of them nobody can show exist (a configuration problem, held against no mirror)',
  })
  @ApiOkResponse({ description: 'Coverage set and broken images' })
  overview(): CoverageOverviewDto {
    const view = this.coverage.current();
    return {
      judgedAt: view.judgedAt?.toISOString() ?? null,
      images: this.config.coverageImages.map((image) => ({
        image: image.key,
        library: image.library,
        platforms: image.platforms.map((p) => `${p.os}/${p.architecture}`),
        broken: view.brokenImages.includes(image.key),
      })),
      brokenImages: view.brokenImages,
    };
  }
}
