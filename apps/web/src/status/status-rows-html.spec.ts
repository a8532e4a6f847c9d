import { describe, expect, it } from 'vitest';
import type { StatusMirrorDto } from '@mirrorwatch/api-types';
import { en } from '../i18n/dictionary-en';
import { escapeHtml, statusRowsHtml } from './status-rows-html';

const mirror = (overrides: Partial<StatusMirrorDto>): StatusMirrorDto => ({
  id: 'm1',
  name: 'Mirror',
  upstream: 'docker.io',
  provider: null,
  status: 'up',
  lastProbeAt: null,
  uptime: 1,
  daily: { from: '2026-03-08', uptimePermille: [null, 1000, 1000], incidents: [0, 0, 0] },
  ...overrides,
});

describe('statusRowsHtml', () => {
  it('escapes names, providers and ids, so a catalog entry cannot inject markup', () => {
    const html = statusRowsHtml([mirror({ id: 'a"b', name: '<img src=x onerror=alert(1)>', provider: "O'Reilly & <Co>" })], en, 0);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('O&#39;Reilly &amp; &lt;Co&gt;');
    expect(html).toContain('data-mirror-id="a&quot;b"');
    expect(html).toContain('href="/mirrors/a%22b"');
  });

  it('draws one cell per run of days of one grade, spanning its days', () => {
    const html = statusRowsHtml([mirror({})], en, 0);
    expect(html.match(/class="cell /g)).toHaveLength(2);
    expect(html).toContain(
      'class="cell cell-good" style="grid-column:span 2" aria-label="2026-03-09 – 2026-03-10: 100.00% uptime, 0 incidents"',
    );
  });

  it('escapes every character HTML gives a meaning to', () => {
    expect(escapeHtml(`&<>"'x`)).toBe('&amp;&lt;&gt;&quot;&#39;x');
  });
});
