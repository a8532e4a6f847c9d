import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StatusMirrorDto } from '@mirrorwatch/api-types';
import { en } from '../i18n/dictionary-en';
import { zhCN } from '../i18n/dictionary-zh-cn';
import { I18nProvider } from '../i18n/i18n-context';
import type { Dictionary } from '../i18n/dictionary-en';
import { expandRuns, statusRowData } from './status-row-data';
import { runTip, StatusRows } from './status-rows';
import { uptimeRuns } from './uptime-runs';

const mirror = (overrides: Partial<StatusMirrorDto>): StatusMirrorDto => ({
  id: 'm1',
  name: 'Mirror',
  upstream: 'docker.io',
  provider: null,
  status: 'up',
  lastProbeAt: null,
  uptime: 1,
  daily: { from: '2026-03-08', uptimePermille: [null, 1000, 1000, 950, 999, 871], incidents: [0, 0, 0, 2, 1, 1] },
  ...overrides,
});

const render = (mirrors: StatusMirrorDto[], t: Dictionary = en) =>
  renderToStaticMarkup(
    createElement(I18nProvider, {
      locale: t === en ? 'en' : 'zh-CN',
      t,
      children: createElement(StatusRows, { rows: mirrors.map(statusRowData), now: 0 }),
    }),
  );

describe('statusRowData / expandRuns', () => {
  it('round-trips the runs, with the tooltips formatPercent would print from the full figures', () => {
    const daily = { from: '2026-03-08', uptimePermille: [null, 999, 998, 917, 123], incidents: [0, 1, 0, 3, 4] };
    const expanded = expandRuns(daily.from, statusRowData(mirror({ daily })).runs);
    const original = uptimeRuns(daily);
    expect(expanded.map((run) => runTip(run, en))).toEqual(original.map((run) => runTip(run, en)));
    const withoutUptime = (runs: typeof original) => runs.map((run) => [run.first, run.last, run.days, run.grade, run.incidents]);
    expect(withoutUptime(expanded)).toEqual(withoutUptime(original));
    expect(runTip(expanded[1]!, en)).toBe('2026-03-09 – 2026-03-10: 99.85% uptime, 1 incidents');
  });
});

describe('StatusRows', () => {
  it('draws one text-free cell per run and names the row with a summary of its days', () => {
    const html = render([mirror({})]);
    expect(html.match(/<i class="g-/g)).toHaveLength(5);
    expect(html).toContain('<i class="g-none"></i><i class="g-good d2"></i><i class="g-warn"></i>');
    expect(html).toContain(
      'aria-label="Mirror: 100.00% uptime, 90 days. 3 days at 99% or more, 1 at 90-99%, 1 below 90%, 1 without data; 4 incidents"',
    );
    // Tooltips are built on demand in the browser, not shipped per cell.
    expect(html).not.toContain('2026-03-09');
  });

  it('speaks Chinese with the Chinese dictionary', () => {
    expect(render([mirror({})], zhCN)).toContain('可用率 ≥ 99% 的 3 天');
  });

  it('escapes names, providers and ids, so a catalog entry cannot inject markup', () => {
    const html = render([mirror({ id: 'a"b', name: '<img src=x onerror=alert(1)>', provider: "O'Reilly & <Co>" })]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('O&#x27;Reilly &amp; &lt;Co&gt;');
    expect(html).toContain('data-mirror-id="a&quot;b"');
    expect(html).toContain('href="/mirrors/a%22b"');
  });
});
