import type { CellGrade } from '../format/uptime-grade';

export interface UptimeCell {
  key: string;
  grade: CellGrade;
  /** Grid columns the cell spans: a run of days of one grade is one cell (default 1). */
  span?: number;
  /** Tooltip and accessible label. */
  tip: string;
}

/**
 * A row of uptime cells (server-rendered, no JavaScript): colour plus shape
 * (failing cells carry a notch) and a text tooltip on hover or keyboard focus.
 */
export function UptimeCells({ cells, label }: { cells: UptimeCell[]; label: string }) {
  return (
    <div className="cells" role="list" aria-label={label}>
      {cells.map((cell) => (
        <span
          key={cell.key}
          role="listitem"
          tabIndex={0}
          className={`cell cell-${cell.grade}`}
          style={cell.span && cell.span > 1 ? { gridColumn: `span ${cell.span}` } : undefined}
          aria-label={cell.tip}
        />
      ))}
    </div>
  );
}
