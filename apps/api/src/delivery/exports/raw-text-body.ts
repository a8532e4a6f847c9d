import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { DAEMON_JSON_MAX_CHARS } from '@mirrorwatch/exports';
import { bodyParserErrors } from '#infrastructure/http/request-input-errors.js';

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

/**
 * The merge routes receive the raw text (see above) so a syntax error can be
 * reported with its line and column. An object only arrives if another JSON
 * parser ran first; re-serializing it loses nothing we keep.
 */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body === 'object' && Object.keys(body).length === 0) return '';
  return JSON.stringify(body);
}
