import { NotFoundException } from '@nestjs/common';
import type { ApiErrorDto } from '@mirrorwatch/api-types';

/** 404 for an unknown or private mirror id; the same body for both, on purpose. */
export class MirrorNotFoundException extends NotFoundException {
  constructor(id: string) {
    const body: ApiErrorDto = { statusCode: 404, error: 'Not Found', message: `no public mirror with id "${id}"` };
    super(body);
  }
}
