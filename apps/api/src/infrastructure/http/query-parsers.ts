import { InvalidParameterException } from './invalid-parameter.exception.js';

/**
 * Parses an optional positive integer query parameter strictly: "3" is fine,
 * "3abc", "1e2", "-1", "" and repeated parameters are rejected with a 400 that
 * names the parameter, instead of being silently coerced.
 */
export function parseIntegerParam(
  name: string,
  raw: unknown,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) {
    throw new InvalidParameterException(name, `must be a whole number from ${min} to ${max}`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new InvalidParameterException(name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function parseEnumParam<T extends string>(name: string, raw: unknown, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) {
    throw new InvalidParameterException(name, `must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** `true` or `false` only: `1`, `yes` or an empty value are ambiguous and rejected with a 400 naming the parameter. */
export function parseBooleanParam(name: string, raw: unknown): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InvalidParameterException(name, 'must be true or false');
}
