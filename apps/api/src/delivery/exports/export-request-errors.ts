import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { EXPORT_FORMATS, type ApiErrorDto } from '@mirrorwatch/api-types';
import { DaemonJsonError, DaemonJsonTooLargeError, ProxyConfigError } from '@mirrorwatch/exports';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';

/** 400 for a daemon.json we could not merge into, with the 1-based line and column of the syntax error. */
export class DaemonJsonBodyException extends BadRequestException {
  constructor(error: DaemonJsonError) {
    const body: ApiErrorDto & { line: number | null; column: number | null } = {
      statusCode: 400,
      error: 'Bad Request',
      message: error.message,
      field: 'body',
      line: error.line,
      column: error.column,
    };
    super(body);
  }
}

/** 413 for a daemon.json larger than any real one. */
export class DaemonJsonTooLargeException extends PayloadTooLargeException {
  constructor(error: DaemonJsonTooLargeError) {
    const body: ApiErrorDto = { statusCode: 413, error: 'Payload Too Large', message: error.message, field: 'body' };
    super(body);
  }
}

export class UnknownExportFormatException extends NotFoundException {
  constructor(format: string) {
    const body: ApiErrorDto = {
      statusCode: 404,
      error: 'Not Found',
      message: `unknown export format ${JSON.stringify(format)}; one of ${EXPORT_FORMATS.join(', ')}`,
      field: 'format',
    };
    super(body);
  }
}

/** Maps the exports library's typed input errors to 400s naming the field; anything else is a bug and stays a 500. */
export function toRequestError(error: unknown): unknown {
  if (error instanceof DaemonJsonError) return new DaemonJsonBodyException(error);
  if (error instanceof DaemonJsonTooLargeError) return new DaemonJsonTooLargeException(error);
  if (error instanceof ProxyConfigError) {
    return new InvalidParameterException(error.field ?? 'httpProxy', error.reason);
  }
  return error;
}
