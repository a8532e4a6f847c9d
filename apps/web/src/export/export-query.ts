import {
  EXPORT_FORMATS,
  exportPath,
  isExportFormat,
  RECOMMENDED_COUNT_DEFAULT,
  RECOMMENDED_COUNT_MAX,
  RECOMMENDED_COUNT_MIN,
  type ExportFormat,
} from '@mirrorwatch/api-types';

export interface ExportChoice {
  format: ExportFormat;
  count: number;
  /** Only for http-proxy-conf: one proxy URL used for both HTTP_PROXY and HTTPS_PROXY (the usual setup). */
  proxy: string;
  /** Only for http-proxy-conf: comma-separated NO_PROXY entries. */
  noProxy: string;
}

/** Reads `?format=&count=&proxy=` (the form's GET submission, so the page works without JavaScript). */
export function parseExportQuery(query: Record<string, string | string[] | undefined>): ExportChoice {
  const rawFormat = first(query['format']);
  const format = isExportFormat(rawFormat) ? rawFormat : EXPORT_FORMATS[0];
  return {
    format,
    count: clampCount(first(query['count'])),
    proxy: (first(query['proxy']) ?? '').trim(),
    noProxy: (first(query['noProxy']) ?? '').trim(),
  };
}

export function clampCount(raw: string | number | undefined): number {
  const value = typeof raw === 'number' ? raw : Number.parseInt(raw ?? '', 10);
  if (!Number.isFinite(value)) return RECOMMENDED_COUNT_DEFAULT;
  return Math.min(RECOMMENDED_COUNT_MAX, Math.max(RECOMMENDED_COUNT_MIN, Math.trunc(value)));
}

/** POSIX-shell single quoting, so a pasted proxy URL cannot break out of the command. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The API path for a choice (the proxy drop-in gets the same proxy for http and https). */
export function choicePath(choice: ExportChoice): string {
  const proxy = choice.proxy || undefined;
  return exportPath(choice.format, choice.count, { httpProxy: proxy, httpsProxy: proxy, noProxy: choice.noProxy || undefined });
}

/**
 * The proxy drop-in needs a proxy (the API answers 400 without one), so the
 * page asks for it instead of showing that error.
 */
export function needsProxy(choice: ExportChoice): boolean {
  return choice.format === 'http-proxy-conf' && choice.proxy === '';
}

/** The line users paste into a provisioning step: download, or pipe the install script (bash) to a root shell. */
export function curlCommand(origin: string, choice: ExportChoice): string {
  const url = `${origin}${choicePath(choice)}`;
  if (choice.format === 'install-sh') return `curl -fsSL ${shellQuote(url)} | sudo bash`;
  return `curl -fsSL ${shellQuote(url)}`;
}

export function exportPageQuery(choice: ExportChoice): string {
  const params = new URLSearchParams({ format: choice.format, count: String(choice.count) });
  if (choice.format === 'http-proxy-conf' && choice.proxy) params.set('proxy', choice.proxy);
  if (choice.format === 'http-proxy-conf' && choice.noProxy) params.set('noProxy', choice.noProxy);
  return `?${params.toString()}`;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
