import type { MirrorEvent } from '../mirror-event.js';

/** One HTTP POST a provider wants made, plus how to tell its reply is a success. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Chat bots answer 200 with an error code in the body; a falsy return means "failed, retry". */
  accepted(status: number, responseText: string): boolean;
}

export interface NotificationProvider<C> {
  build(event: MirrorEvent, channel: C, now: Date): OutgoingRequest;
}

export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

export function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}

/** DingTalk and WeCom: `{"errcode": 0}` means delivered. */
export function errcodeZero(status: number, text: string): boolean {
  if (!is2xx(status)) return false;
  try {
    return (JSON.parse(text) as { errcode?: unknown }).errcode === 0;
  } catch {
    return false;
  }
}
