import type { ApiErrorDto, CheckDto } from '@mirrorwatch/api-types';

/** What the form shows after a request: a result, or why there is none. */
export type CheckOutcome =
  | { kind: 'result'; check: CheckDto }
  | { kind: 'refused'; message: string }
  | { kind: 'busy' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'unavailable' }
  | { kind: 'not_found' }
  | { kind: 'failed'; error: string };

/** Maps an /api/checks answer to what the form shows; the 400's message names the field (`url: ...`). */
export async function readCheckResponse(response: Response): Promise<CheckOutcome> {
  if (response.ok) return { kind: 'result', check: (await response.json()) as CheckDto };
  if (response.status === 400) {
    const body = (await response.json().catch(() => null)) as ApiErrorDto | null;
    return { kind: 'refused', message: (body?.message ?? 'url: refused').replace(/^url: /, '') };
  }
  if (response.status === 409) return { kind: 'busy' };
  if (response.status === 429)
    return { kind: 'rate_limited', retryAfterSeconds: Number(response.headers.get('retry-after') ?? '10') || 10 };
  if (response.status === 503) return { kind: 'unavailable' };
  if (response.status === 404) return { kind: 'not_found' };
  return { kind: 'failed', error: `HTTP ${response.status}` };
}
