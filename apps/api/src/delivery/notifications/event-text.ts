import { oneLine } from './chat-markdown.js';
import type { MirrorEvent, MirrorEventKind } from './mirror-event.js';

const HEADLINES: Record<MirrorEventKind, string> = {
  down: 'is DOWN',
  recovered: 'has RECOVERED',
  stale: 'serves STALE images',
  integrity_failure: 'served CORRUPT data (digest mismatch)',
};

export const EVENT_EMOJI: Record<MirrorEventKind, string> = {
  down: '🔴',
  recovered: '🟢',
  stale: '🟡',
  integrity_failure: '🟠',
};

/**
 * A private mirror is named by its name and id only: its URL is a personal
 * accelerator address and chat channels are shared.
 */
export function mirrorLabel(event: MirrorEvent): string {
  return event.mirror.visibility === 'public' ? `${event.mirror.name} (${event.mirror.url})` : `${event.mirror.name} [${event.mirror.id}]`;
}

export function eventTitle(event: MirrorEvent): string {
  if (event.test) return 'mirrorwatch: TEST message';
  return `mirrorwatch: ${event.mirror.name} ${HEADLINES[event.kind]}`;
}

/**
 * Lines shared by every provider; each wraps them in its own markup. The
 * detail comes from the mirror (its error text): always one bounded line, and
 * passed through `escapeDetail` by the markdown providers.
 */
export function eventLines(event: MirrorEvent, escapeDetail: (text: string) => string = (text) => text): string[] {
  if (event.test) return [event.detail ?? 'Test message', `At: ${event.at.toISOString()}`];
  return [
    `Mirror: ${mirrorLabel(event)}`,
    // Docker Hub mirrors were the only kind before other registries; their messages read as they always did.
    ...(event.mirror.upstream === 'docker.io' ? [] : [`Registry: ${event.mirror.upstream}`]),
    `Status: ${event.status}`,
    ...(event.failureClass ? [`Failure class: ${event.failureClass}`] : []),
    ...(event.detail ? [`Detail: ${escapeDetail(oneLine(event.detail))}`] : []),
    `At: ${event.at.toISOString()}`,
  ];
}
