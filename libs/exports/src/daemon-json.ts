import { DaemonJsonError, DaemonJsonTooLargeError } from './export-errors.js';
import { scanJson, type TopLevelMember } from './json-scan.js';
import { lineAndColumn } from './json-syntax-error.js';
import { prepareMirrors } from './mirror-list.js';

const MIRRORS_KEY = 'registry-mirrors';

/**
 * A daemon.json is a few hundred bytes (Docker Desktop's is ~200); 64 KiB
 * leaves room for hosts with long `insecure-registries` or `hosts` lists.
 */
export const DAEMON_JSON_MAX_CHARS = 64 * 1024;

/** dockerd's own options nest three levels at most (`builder.gc.policy[]`); 32 is generous and keeps the scan's stack tiny. */
export const DAEMON_JSON_MAX_DEPTH = 32;

/** `/etc/docker/daemon.json` holding only the mirrors, in order (dockerd tries them in order, then Docker Hub). */
export function renderDaemonJson(mirrors: readonly string[]): string {
  return `${JSON.stringify({ [MIRRORS_KEY]: prepareMirrors(mirrors) }, null, 2)}\n`;
}

interface Member {
  key: string;
  keyText: string;
  valueText: string;
}

/**
 * Replaces `registry-mirrors` in an existing daemon.json and keeps every other
 * key, in its place (Docker Desktop writes `builder.gc`, `experimental`, ...;
 * hosts carry `log-driver`, `data-root`, `insecure-registries`). An empty or
 * blank file counts as `{}`, and a UTF-8 BOM is dropped. Anything that is not
 * a JSON object throws `DaemonJsonError` with the line and column, so a caller
 * never overwrites a file it did not understand.
 *
 * The endpoint is public, so the output is bounded by the input: at most
 * twice its length plus the mirror list. Values are re-indented two spaces a
 * level when that stays within the bound; otherwise (deeply nested arrays
 * whose indentation would multiply their size) each kept value is copied
 * byte for byte, which is still the same JSON.
 */
export function mergeDaemonJson(existingText: string, mirrors: readonly string[]): string {
  const prepared = prepareMirrors(mirrors);
  if (existingText.length > DAEMON_JSON_MAX_CHARS) throw new DaemonJsonTooLargeError(existingText.length, DAEMON_JSON_MAX_CHARS);
  const text = existingText.replace(/^\uFEFF/, '');
  const members = text.trim() === '' ? [] : topLevelMembers(text);
  const mirrorsText = JSON.stringify(prepared);
  const merged: Member[] = [];
  let placed = false;
  for (const member of members) {
    if (member.key === MIRRORS_KEY) {
      merged.push({ ...member, valueText: mirrorsText });
      placed = true;
    } else {
      merged.push(member);
    }
  }
  if (!placed) merged.push({ key: MIRRORS_KEY, keyText: JSON.stringify(MIRRORS_KEY), valueText: mirrorsText });
  const budget = 2 * text.length + renderDaemonJson(prepared).length;
  return reindented(merged, budget) ?? verbatim(merged);
}

/** Members in first-seen order with the last value of a repeated key (what `JSON.parse`, and Go's decoder, keep). */
function topLevelMembers(text: string): Member[] {
  const scan = scanJson(text, DAEMON_JSON_MAX_DEPTH);
  if (!scan.ok) {
    const { line, column } = lineAndColumn(text, scan.offset);
    throw new DaemonJsonError(`not valid JSON: ${scan.reason}`, line, column);
  }
  if (scan.members === null) throw new DaemonJsonError(`the top level must be a JSON object, found ${kindOf(text)}`, null, null);
  const byKey = new Map<string, Member>();
  for (const span of scan.members) {
    const member = memberAt(text, span);
    const earlier = byKey.get(member.key);
    if (earlier) earlier.valueText = member.valueText;
    else byKey.set(member.key, member);
  }
  return [...byKey.values()];
}

function memberAt(text: string, span: TopLevelMember): Member {
  const keyText = text.slice(span.keyStart, span.keyEnd);
  return { key: JSON.parse(keyText) as string, keyText, valueText: text.slice(span.valueStart, span.valueEnd) };
}

/** Pretty output, or null as soon as it would pass `budget` characters. */
function reindented(members: Member[], budget: number): string | null {
  const lines: string[] = [];
  let length = 4;
  for (const member of members) {
    const value = JSON.stringify(JSON.parse(member.valueText), null, 2).replaceAll('\n', '\n  ');
    const line = `  ${JSON.stringify(member.key)}: ${value}`;
    length += line.length + 2;
    if (length > budget) return null;
    lines.push(line);
  }
  return `{\n${lines.join(',\n')}\n}\n`;
}

function verbatim(members: Member[]): string {
  return `{\n${members.map((member) => `  ${member.keyText}: ${member.valueText}`).join(',\n')}\n}\n`;
}

function kindOf(text: string): string {
  const first = text.trimStart()[0];
  if (first === '[') return 'an array';
  if (first === '"') return 'a string';
  if (first === 'n') return 'null';
  if (first === 't' || first === 'f') return 'a boolean';
  return 'a number';
}
