import type { z } from 'zod';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { MASK, maskChannelUrl } from '../notifications/channel-masking.js';
import { CHANNEL_SCHEMA, type ChannelConfig } from '../notifications/notification-channels.js';
import { fieldPath } from '#infrastructure/http/field-path.js';

const FIELDS = new Set(['type', 'name', 'url', 'secret', 'format', 'events']);
/** Fields a PATCH may clear with null (the channel then has no secret, the default format, every event). */
const CLEARABLE = new Set(['secret', 'format', 'events']);

/** A new admin channel, checked with the schema of the NOTIFICATIONS_CONFIG file. */
export function parseChannelCreation(body: unknown): ChannelConfig {
  return validate(requireObject(body));
}

/**
 * A change to an admin channel: the fields given replace the current ones,
 * null clears a clearable field, and the whole result is checked with the
 * file's schema. A URL or secret sent back exactly as GET masked it keeps the
 * stored value, so a client can round-trip a listing. Changing the type
 * keeps only name, URL and events: secrets and formats belong to one service.
 */
export function parseChannelPatch(body: unknown, current: ChannelConfig): ChannelConfig {
  const patch = requireObject(body);
  if (Object.keys(patch).length === 0)
    throw new InvalidParameterException('body', 'nothing to change: give type, name, url, secret, format or events');
  const typeChanges = patch.type !== undefined && patch.type !== current.type;
  const merged: Record<string, unknown> = typeChanges
    ? { name: current.name, url: current.url, ...(current.events ? { events: current.events } : {}) }
    : { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      if (!CLEARABLE.has(key)) throw new InvalidParameterException(key, 'must not be null');
      delete merged[key];
    } else if (key === 'url' && value === maskChannelUrl(current.url) && value !== current.url) {
      continue;
    } else if (key === 'secret' && value === MASK) {
      continue;
    } else {
      merged[key] = value;
    }
  }
  return validate(merged);
}

function requireObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidParameterException('body', 'must be a JSON object');
  const unknownKey = Object.keys(body).find((key) => !FIELDS.has(key));
  if (unknownKey !== undefined) throw new InvalidParameterException(unknownKey, 'is not a notification channel field');
  return body as Record<string, unknown>;
}

/** 400 naming the first offending field, in the words of the file's validation. */
function validate(candidate: Record<string, unknown>): ChannelConfig {
  const result = CHANNEL_SCHEMA.safeParse(candidate);
  if (result.success) return result.data;
  const issue: z.core.$ZodIssue | undefined = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new InvalidParameterException(fieldPath([String(issue.keys[0])]), `is not a field of ${String(candidate.type)} channels`);
  }
  const field = issue?.path.length ? issue.path.map(String).join('.') : 'body';
  throw new InvalidParameterException(field, issue?.message ?? 'invalid value');
}
