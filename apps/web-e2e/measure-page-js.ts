import { gzipSync } from 'node:zlib';

/**
 * First-load JavaScript of dashboard pages, as a browser with an empty cache
 * downloads it: every `<script src>` of the server-rendered HTML (Next's
 * runtime, framework and page chunks), each fetched and gzipped at level 6
 * (zlib's default, also Express' compression middleware's). Inline scripts (the
 * React Server Components payload) ship inside the HTML and are listed apart.
 *
 *   npx tsx apps/web-e2e/measure-page-js.ts http://127.0.0.1:3000 /status /
 */
interface PageJs {
  path: string;
  files: { src: string; raw: number; gzip: number }[];
  inlineRaw: number;
  inlineGzip: number;
}

async function measure(origin: string, pathname: string): Promise<PageJs> {
  const html = await (await fetch(`${origin}${pathname}`)).text();
  const sources = [...new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1] ?? ''))].filter(Boolean);
  const files = await Promise.all(
    sources.map(async (src) => {
      const body = Buffer.from(await (await fetch(new URL(src.replaceAll('&amp;', '&'), origin))).arrayBuffer());
      return { src, raw: body.length, gzip: gzipSync(body, { level: 6 }).length };
    }),
  );
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '').join('');
  return { path: pathname, files, inlineRaw: Buffer.byteLength(inline), inlineGzip: gzipSync(inline, { level: 6 }).length };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const [origin = 'http://127.0.0.1:3000', ...paths] = process.argv.slice(2);
  for (const pathname of paths.length > 0 ? paths : ['/status']) {
    const page = await measure(origin.replace(/\/$/, ''), pathname);
    const raw = page.files.reduce((sum, file) => sum + file.raw, 0);
    const gzip = page.files.reduce((sum, file) => sum + file.gzip, 0);
    console.log(`${page.path}: ${page.files.length} script files, ${kib(raw)} raw, ${kib(gzip)} gzip; inline RSC payload ${kib(page.inlineRaw)} raw, ${kib(page.inlineGzip)} gzip`);
    for (const file of [...page.files].sort((a, b) => b.gzip - a.gzip)) console.log(`  ${kib(file.gzip).padStart(10)}  ${file.src}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
