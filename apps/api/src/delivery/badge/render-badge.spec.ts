import { describe, expect, it } from 'vitest';
import { MIRROR_STATUSES } from '@mirrorwatch/domain';
import { BADGE_COLOURS, renderBadge, textWidth } from './render-badge.js';

describe('renderBadge', () => {
  it.each(MIRROR_STATUSES)('%s: the status text in its colour, sized to fit', (status) => {
    const svg = renderBadge(status);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(`>${status}</text>`);
    expect(svg).toContain(`fill="${BADGE_COLOURS[status]}"`);
    const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBe(textWidth('mirror') + textWidth(status) + 20);
  });

  it('gives each status its own colour', () => {
    expect(new Set(Object.values(BADGE_COLOURS)).size).toBe(MIRROR_STATUSES.length);
  });

  it.each([
    ['ill', 11],
    ['mw', 19],
    ['up', 14],
    ['镜像', 22],
  ])('textWidth(%s) = %d', (text, width) => {
    expect(textWidth(text)).toBe(width);
  });
});
