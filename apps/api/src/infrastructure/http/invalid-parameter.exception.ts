import { BadRequestException } from '@nestjs/common';
import type { ApiErrorDto } from '@mirrorwatch/api-types';

/** A 400 whose body names the offending query parameter or field. */
export class InvalidParameterException extends BadRequestException {
  constructor(field: string, reason: string) {
    const body: ApiErrorDto = { statusCode: 400, error: 'Bad Request', message: `${field}: ${reason}`, field };
    super(body);
  }
}
