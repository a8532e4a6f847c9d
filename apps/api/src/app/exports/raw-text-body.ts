import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DAEMON_JSON_MAX_CHARS } from '@mirrorwatch/exports';

/** daemon.json files are small; anything bigger is not one (the merge itself refuses more than this many characters). */
const MERGE_BODY_LIMIT_BYTES = DAEMON_JSON_MAX_CHARS;

/** Routes that take a daemon.json to merge into, whatever Content-Type the client sends. */
export const MERGE_ROUTES = ['/api/recommended-daemon.json', '/api/admin/recommended-daemon.json'];

/**
 * Registers a text parser for the merge routes ahead of Nest's JSON parser
 * (`app.use` runs before the parsers Nest adds at init): body-parser's JSON
 * errors carry no line or column, and a person fixing /etc/docker/daemon.json
 * needs both. Once this parser has read the body, the JSON one skips it.
 * Its own refusals (too large, an unknown charset) become JSON errors that
 * name the body, like every other 4xx.
 */
export function registerMergeBodyParser(app: NestExpressApplication): void {
  app.use(MERGE_ROUTES, express.text({ type: () => true, limit: MERGE_BODY_LIMIT_BYTES }));
  app.use(MERGE_ROUTES, bodyParserErrors);
}

interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const parserError = error as BodyParserError;
  const status = parserError?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) {
    next(error);
    return;
  }
  const message =
    parserError.type === 'entity.too.large'
      ? `the body is larger than ${MERGE_BODY_LIMIT_BYTES} bytes; a daemon.json is a few hundred`
      : (parserError.message ?? 'the body could not be read');
  res.status(status).json({ statusCode: status, error: status === 413 ? 'Payload Too Large' : 'Bad Request', message, field: 'body' });
}
