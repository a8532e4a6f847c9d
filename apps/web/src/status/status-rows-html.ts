import type { MirrorStatus } from '@mirrorwatch/domain';
import type { StatusMirrorDto } from '@mirrorwatch/api-types';
import { formatPercent } from '../format/numbers';
import { formatAge } from '../format/time';
import type { Dictionary } from '../i18n/dictionary-en';
import { formatMessage } from '../i18n/format-message';
import { uptimeRuns } from './uptime-runs';

/** Same shapes as StatusBadge: status reads without colour too. */
const STATUS_ICON: Record<MirrorStatus, string> = { up: '✓', degraded: '!', down: '✕', unknown: '?' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: every character HTML gives a meaning to is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * The status page's mirror rows as one HTML string, server-rendered. As React
 * elements the same rows cost their markup twice over (the HTML and the
 * server-component payload that repeats every element as JSON): 100 mirrors
 * made the page 460 KB. As one string they travel as the HTML plus that
 * string once. Nothing here runs in the browser; names and providers come
 * from the API and are escaped. Each name links to the mirror's page, where
 * every bucket has its own cell: the rest is a click away.
 */
export function statusRowsHtml(mirrors: readonly StatusMirrorDto[], t: Dictionary, now: number): string {
  return mirrors
    .map((mirror) => {
      const uptime = formatMessage(t.statusPage.uptime90, { pct: formatPercent(mirror.uptime) });
      const checked = formatMessage(t.statusPage.lastChecked, { age: formatAge(mirror.lastProbeAt, now, t.age) });
      const cells = uptimeRuns(mirror.daily)
        .map((run) => {
          const date = run.days === 1 ? run.first : `${run.first} – ${run.last}`;
          const tip =
            run.uptime === null
              ? formatMessage(t.statusPage.cellNoData, { date })
              : formatMessage(t.statusPage.cellTip, { date, pct: formatPercent(run.uptime), incidents: run.incidents });
          const span = run.days > 1 ? ` style="grid-column:span ${run.days}"` : '';
          return `<span role="listitem" tabindex="0" class="cell cell-${run.grade}"${span} aria-label="${escapeHtml(tip)}"></span>`;
        })
        .join('');
      const id = escapeHtml(mirror.id);
      const provider = mirror.provider ? `<span class="muted"> · ${escapeHtml(mirror.provider)}</span>` : '';
      const upstream =
        mirror.upstream === 'docker.io'
          ? ''
          : ` <span class="tag" data-upstream="${escapeHtml(mirror.upstream)}">${escapeHtml(mirror.upstream)}</span>`;
      return (
        `<div class="status-row" data-mirror-id="${id}"><div class="status-row-head"><span><a href="/mirrors/${encodeURIComponent(mirror.id)}"><strong>${escapeHtml(mirror.name)}</strong></a>${upstream}${provider}</span>` +
        `<span><span class="badge badge-${mirror.status}"><span class="badge-icon" aria-hidden="true">${STATUS_ICON[mirror.status]}</span>${escapeHtml(t.status[mirror.status])}</span> ` +
        `<span class="muted">${escapeHtml(uptime)} · ${escapeHtml(checked)}</span></span></div>` +
        `<div class="cells" role="list" aria-label="${escapeHtml(`${mirror.name}: ${uptime}`)}">${cells}</div></div>`
      );
    })
    .join('');
}
