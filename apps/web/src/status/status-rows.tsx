'use client';
import { useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { StatusBadge } from '../components/status-badge';
import { formatPercent } from '../format/numbers';
import { formatAge } from '../format/time';
import type { Dictionary } from '../i18n/dictionary-en';
import { formatMessage } from '../i18n/format-message';
import { useI18n } from '../i18n/i18n-context';
import { expandRuns, gradeTotals, type StatusRowData } from './status-row-data';
import type { UptimeRun } from './uptime-runs';

/**
 * The status page's mirror rows. A client component on purpose: its props
 * (compact runs, see StatusRowData) are what the server-component payload
 * carries, while the markup exists once, in the HTML. Cells carry no text;
 * the tooltip of the cell under the pointer (or picked with the arrow keys)
 * is built on demand, and each row's accessible name sums its days up, with
 * every day a click away on the mirror's page.
 */
export function StatusRows({ rows, now }: { rows: readonly StatusRowData[]; now: number }) {
  const { t } = useI18n();
  return (
    <>
      {rows.map((row) => (
        <StatusRow key={row.id} row={row} now={now} t={t} />
      ))}
    </>
  );
}

export function runTip(run: UptimeRun, t: Dictionary): string {
  const date = run.days === 1 ? run.first : `${run.first} – ${run.last}`;
  return run.uptime === null
    ? formatMessage(t.statusPage.cellNoData, { date })
    : formatMessage(t.statusPage.cellTip, { date, pct: formatPercent(run.uptime), incidents: run.incidents });
}

/**
 * A cell is `<i class="g-bad d5">`: grade and span in two short classes
 * (globals.css spells out d2-d90) instead of a style attribute. Up to 90
 * cells a row, 100 rows: the markup per cell is most of the page's weight.
 */
function runClass(run: UptimeRun, active: boolean): string {
  const span = run.days > 1 ? ` d${run.days}` : '';
  return `g-${run.grade}${span}${active ? ' on' : ''}`;
}

interface ActiveCell {
  index: number;
  /** Centre of the cell, px from the row's left edge. */
  left: number;
}

function StatusRow({ row, now, t }: { row: StatusRowData; now: number; t: Dictionary }) {
  const runs = useMemo(() => expandRuns(row.from, row.runs), [row.from, row.runs]);
  const [active, setActive] = useState<ActiveCell | null>(null);
  const uptime = formatMessage(t.statusPage.uptime90, { pct: formatPercent(row.uptime) });
  const checked = formatMessage(t.statusPage.lastChecked, { age: formatAge(row.lastProbeAt, now, t.age) });
  const summary = formatMessage(t.statusPage.cellsSummary, gradeTotals(runs));

  const activate = (cells: HTMLElement, index: number) => {
    const cell = cells.children[index] as HTMLElement | undefined;
    if (cell) setActive({ index, left: cell.offsetLeft + cell.offsetWidth / 2 });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const index = Array.prototype.indexOf.call(event.currentTarget.children, event.target);
    if (index >= 0 && index !== active?.index) activate(event.currentTarget, index);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
    if (step === 0 || runs.length === 0) return;
    event.preventDefault();
    const from = active?.index ?? runs.length;
    activate(event.currentTarget, Math.min(runs.length - 1, Math.max(0, from + step)));
  };
  const activeRun = active === null ? undefined : runs[active.index];

  const { id, name, provider, upstream, status } = row;
  return (
    <div className="status-row" data-mirror-id={id}>
      <div className="status-row-head">
        <span>
          <a href={`/mirrors/${encodeURIComponent(id)}`}>
            <strong>{name}</strong>
          </a>
          {upstream === 'docker.io' ? null : (
            <>
              {' '}
              <span className="tag" data-upstream={upstream}>
                {upstream}
              </span>
            </>
          )}
          {provider ? <span className="muted"> · {provider}</span> : null}
        </span>
        <span>
          <StatusBadge status={status} label={t.status[status]} />{' '}
          <span className="muted">
            {uptime} · {checked}
          </span>
        </span>
      </div>
      <div
        className="cells"
        role="img"
        tabIndex={0}
        aria-label={`${name}: ${uptime}. ${summary}`}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setActive(null)}
        onFocus={(event) => activate(event.currentTarget, runs.length - 1)}
        onBlur={() => setActive(null)}
        onKeyDown={onKeyDown}
      >
        {runs.map((run, index) => (
          <i key={run.first} className={runClass(run, index === active?.index)} />
        ))}
      </div>
      {/* Announced as the arrow keys move; empty (and invisible) until a cell is picked. */}
      <div className="cell-tip" aria-live="polite" style={activeRun && active ? { left: active.left } : undefined}>
        {activeRun ? runTip(activeRun, t) : null}
      </div>
    </div>
  );
}
