import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed is ES2024). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Nest's own default for JSON and form bodies; admin bodies are a few hundred bytes. */
const BODY_LIMIT = '100kb';

interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

/**
 * Every 4xx names what was wrong (`field`), including requests refused before
 * any controller runs:
 * - a path that is not valid percent-encoding (`/api/mirrors/%E0%A4%A`)
 *   would fail in the router's decodeURIComponent;
 * - a body body-parser refuses (malformed JSON, over the limit, an unknown
 *   charset). Nest's parsers would answer those without a field, so the same
 *   parsers are registered here first, with their errors mapped; Nest's then
 *   skip a body that is already read.
 */
export function registerRequestInputChecks(app: NestExpressApplication): void {
  app.use('/api', rejectUndecodablePath);
  app.use('/api', express.json({ limit: BODY_LIMIT, reviver: refuseLoneSurrogates }));
  app.use('/api', express.urlencoded({ extended: true, limit: BODY_LIMIT }));
  app.use('/api', bodyParserErrors);
}

/**
 * JSON may escape half of a surrogate pair (`"\ud800"`), which is no text at
 * all: the databases cannot store it (a 500 from the driver) and a page could
 * not show it. Refused while parsing, so every endpoint answers 400 naming the
 * body, whatever field carries it; body-parser turns the SyntaxError into its
 * `entity.parse.failed` 400.
 */
export function refuseLoneSurrogates(key: string, value: unknown): unknown {
  if (LONE_SURROGATE.test(key)) throw new SyntaxError('an object key is not valid Unicode (a lone surrogate escape)');
  if (typeof value === 'string' && LONE_SURROGATE.test(value))
    throw new SyntaxError(`${key === '' ? 'a string' : `"${key.slice(0, 40)}"`} is not valid Unicode (a lone surrogate escape)`);
  return value;
}

function rejectUndecodablePath(req: Request, res: Response, next: NextFunction): void {
  try {
    decodeURIComponent(req.path);
  } catch {
    res.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'the path is not valid percent-encoded UTF-8', field: 'path' });
    return;
  }
  next();
}

/** body-parser's refusals as JSON errors naming the body; anything else goes on to Nest. */
export function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const parserError = error as BodyParserError | null;
  const status = parserError?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500 || typeof parserError?.type !== 'string') {
    next(error);
    return;
  }
  const message =
    parserError.type === 'entity.too.large'
      ? 'the body is larger than this endpoint accepts'
      : (parserError.message ?? 'the body could not be read');
  const label = status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request';
  res.status(status).json({ statusCode: status, error: label, message, field: 'body' });
}
