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
  /** Only for http-proxy-conf. */
  proxy: string;
}

/** Reads `?format=&count=&proxy=` (the form's GET submission, so the page works without JavaScript). */
export function parseExportQuery(query: Record<string, string | string[] | undefined>): ExportChoice {
  const rawFormat = first(query['format']);
  const format = isExportFormat(rawFormat) ? rawFormat : EXPORT_FORMATS[0];
  return { format, count: clampCount(first(query['count'])), proxy: (first(query['proxy']) ?? '').trim() };
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

/** The line users paste into a provisioning step: download, or pipe the install script to a root shell. */
export function curlCommand(origin: string, choice: ExportChoice): string {
  const url = `${origin}${exportPath(choice.format, choice.count, choice.proxy || undefined)}`;
  if (choice.format === 'install-sh') return `curl -fsS ${shellQuote(url)} | sudo sh`;
  return `curl -fsS ${shellQuote(url)}`;
}

export function exportPageQuery(choice: ExportChoice): string {
  const params = new URLSearchParams({ format: choice.format, count: String(choice.count) });
  if (choice.format === 'http-proxy-conf' && choice.proxy) params.set('proxy', choice.proxy);
  return `?${params.toString()}`;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
