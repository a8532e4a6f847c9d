import 'server-only';
import { internalApiOrigin } from './api-origin';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number | null; error: string };

/** How long SSR waits for the API before rendering the page without the data. */
const SSR_API_TIMEOUT_MS = 5_000;

/** Set by the API process that hosts this dashboard: its calls then do not count against visitors' rate limit. */
const INTERNAL_REQUEST_HEADER = 'x-mirrorwatch-internal';

async function request(path: string): Promise<Response> {
  const token = process.env['MIRRORWATCH_INTERNAL_TOKEN'];
  const headers: Record<string, string> = token ? { [INTERNAL_REQUEST_HEADER]: token } : {};
  return fetch(`${internalApiOrigin()}${path}`, { cache: 'no-store', headers, signal: AbortSignal.timeout(SSR_API_TIMEOUT_MS) });
}

/** GET a JSON endpoint during SSR; failures are returned, not thrown, so a page still renders. */
export async function fetchApiJson<T>(path: string): Promise<ApiResult<T>> {
  try {
    const response = await request(path);
    if (!response.ok) return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    return { ok: true, data: (await response.json()) as T };
  } catch (error) {
    return { ok: false, status: null, error: describeError(error) };
  }
}

/** GET a text endpoint during SSR, with its response headers (the exports carry figures in them). */
export async function fetchApiText(path: string): Promise<ApiResult<{ text: string; headers: Headers }>> {
  try {
    const response = await request(path);
    if (!response.ok) return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    return { ok: true, data: { text: await response.text(), headers: response.headers } };
  } catch (error) {
    return { ok: false, status: null, error: describeError(error) };
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
