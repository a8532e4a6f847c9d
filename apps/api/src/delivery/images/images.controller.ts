import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { ImageLookupDto } from '@mirrorwatch/api-types';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';
import { ImageLookupService } from './image-lookup.service.js';

@ApiTags('images')
@Controller('images')
export class ImagesController {
  constructor(private readonly lookups: ImageLookupService) {}

  /** Express 5 hands a `*` wildcard over as its path segments. */
  @Get('*image')
  // A look-up that misses the cache sends a request to every public mirror.
  @RateLimit('expensive')
  @ApiOperation({
    summary: 'Which public mirrors serve this image manifest now, and with which digest (e.g. bitnami/postgresql:16, alpine:3.20)',
  })
  @ApiParam({
    name: 'image',
    description: 'repository[:tag] as docker pull takes it; alpine:3.20 means library/alpine:3.20',
    example: 'bitnami/postgresql:16',
  })
  @ApiOkResponse({ description: "Every public mirror's answer (manifest only, no blobs), cached a few minutes" })
  @ApiBadRequestResponse({ description: 'Not a Docker Hub image reference; `field` is `image`' })
  @ApiTooManyRequestsResponse({ description: 'Too many distinct look-ups running at once' })
  lookup(@Param('image') image: string | string[]): Promise<ImageLookupDto> {
    return this.lookups.lookup(Array.isArray(image) ? image.join('/') : image);
  }
}
