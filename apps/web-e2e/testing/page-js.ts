import { gzipSync } from 'node:zlib';

/** First-load JavaScript of one page, as a browser with an empty cache downloads it. */
export interface PageJs {
  path: string;
  files: { src: string; raw: number; gzip: number }[];
  /** Inline scripts (the React Server Components payload): part of the HTML document, not code. */
  inlineRaw: number;
  inlineGzip: number;
}

/**
 * Every `<script src>` of the server-rendered HTML (Next's runtime, framework
 * and page chunks), each fetched and gzipped at level 6 (zlib's default, also
 * Express' compression middleware's). Inline scripts are counted apart.
 */
export async function measurePageJs(origin: string, pathname: string): Promise<PageJs> {
  const response = await fetch(`${origin}${pathname}`);
  if (!response.ok) throw new Error(`GET ${pathname}: HTTP ${response.status}`);
  const html = await response.text();
  const sources = [...new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] ?? ''))].filter(Boolean);
  const files = await Promise.all(
    sources.map(async (src) => {
      const script = await fetch(new URL(src.replaceAll('&amp;', '&'), origin));
      if (!script.ok) throw new Error(`GET ${src}: HTTP ${script.status}`);
      const body = Buffer.from(await script.arrayBuffer());
      return { src, raw: body.length, gzip: gzipSync(body, { level: 6 }).length };
    }),
  );
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '').join('');
  return { path: pathname, files, inlineRaw: Buffer.byteLength(inline), inlineGzip: gzipSync(inline, { level: 6 }).length };
}

export const totalRaw = (page: PageJs): number => page.files.reduce((sum, file) => sum + file.raw, 0);
export const totalGzip = (page: PageJs): number => page.files.reduce((sum, file) => sum + file.gzip, 0);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** One summary line per page, then one line per script file, largest first. */
export function describePageJs(page: PageJs): string[] {
  return [
    `${page.path}: ${page.files.length} script files, ${kib(totalRaw(page))} raw, ${kib(totalGzip(page))} gzip (${totalGzip(page)} bytes); inline RSC payload ${kib(page.inlineRaw)} raw, ${kib(page.inlineGzip)} gzip`,
    ...[...page.files].sort((a, b) => b.gzip - a.gzip).map((file) => `  ${kib(file.gzip).padStart(10)}  ${file.src}`),
  ];
}
