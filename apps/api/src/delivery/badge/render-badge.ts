import type { MirrorStatus } from '@mirrorwatch/domain';

/** shields.io's palette, so the badge sits well beside the other badges in a README. */
export const BADGE_COLOURS: Record<MirrorStatus, string> = {
  up: '#4c1',
  degraded: '#dfb317',
  down: '#e05d44',
  unknown: '#9f9f9f',
};

const LABEL = 'mirror';

/**
 * Rough width of 11px Verdana text, as shields.io estimates it without a font
 * at hand: narrow letters, average letters, and wide CJK glyphs.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/[ilj.,:;'!|\s]/.test(char)) width += 3.5;
    else if (char.codePointAt(0)! > 0x2e80) width += 11;
    else if (/[mwMW]/.test(char)) width += 9.5;
    else width += 7;
  }
  return Math.ceil(width);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A flat two-part badge: "mirror | up" with the status colour on the right;
 * a mirror of another registry than Docker Hub says which ("ghcr.io mirror | up").
 */
export function renderBadge(status: MirrorStatus, upstream: string = 'docker.io'): string {
  const label = upstream === 'docker.io' ? LABEL : `${upstream} ${LABEL}`;
  const left = textWidth(label) + 10;
  const right = textWidth(status) + 10;
  const total = left + right;
  const colour = BADGE_COLOURS[status];
  const title = escapeXml(`${label}: ${status}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/><rect width="${total}" height="20" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`,
    `<text x="${left / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${left + right / 2}" y="14">${escapeXml(status)}</text>`,
    `</g></svg>`,
  ].join('');
}
