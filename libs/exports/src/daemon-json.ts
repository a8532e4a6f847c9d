import { DaemonJsonError } from './export-errors.js';
import { locateJsonSyntaxError } from './json-syntax-error.js';
import { prepareMirrors } from './mirror-list.js';

const MIRRORS_KEY = 'registry-mirrors';

/** `/etc/docker/daemon.json` holding only the mirrors, in order (dockerd tries them in order, then Docker Hub). */
export function renderDaemonJson(mirrors: readonly string[]): string {
  return `${JSON.stringify({ [MIRRORS_KEY]: prepareMirrors(mirrors) }, null, 2)}\n`;
}

/**
 * Replaces `registry-mirrors` in an existing daemon.json and keeps every other
 * key, in its place (Docker Desktop writes `builder.gc`, `experimental`, ...;
 * hosts carry `log-driver`, `data-root`, `insecure-registries`). An empty or
 * blank file counts as `{}`, and a UTF-8 BOM is dropped. Anything that is not
 * a JSON object throws `DaemonJsonError` with the line and column, so a caller
 * never overwrites a file it did not understand.
 */
export function mergeDaemonJson(existingText: string, mirrors: readonly string[]): string {
  const prepared = prepareMirrors(mirrors);
  const text = existingText.replace(/^\uFEFF/, '');
  const existing = text.trim() === '' ? {} : parseObject(text);
  const merged: Record<string, unknown> = {};
  let placed = false;
  for (const [key, value] of Object.entries(existing)) {
    if (key === MIRRORS_KEY) {
      merged[key] = prepared;
      placed = true;
    } else {
      merged[key] = value;
    }
  }
  if (!placed) merged[MIRRORS_KEY] = prepared;
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function parseObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const { line, column, reason } = locateJsonSyntaxError(text);
    throw new DaemonJsonError(`not valid JSON: ${reason}`, line, column);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    throw new DaemonJsonError(`the top level must be a JSON object, found ${kind}`, null, null);
  }
  return parsed as Record<string, unknown>;
}
