import { expandSparkline, type MirrorSparklineDto } from '@mirrorwatch/api-types';
import { formatMs, formatPercent } from '../format/numbers';
import type { Dictionary } from '../i18n/dictionary-en';
import { formatMessage } from '../i18n/format-message';
import { SPARKLINE_SIZE, sparklineModel } from './sparkline-model';

/**
 * The last 24 hours of one mirror as a tiny inline SVG (no chart library, so
 * the ranking page stays light): manifest p50 as a line, each hour's success
 * rate as a cell graded like the uptime bars. The figures it shows are also
 * its accessible name, for screen readers and as a hover title.
 */
export function Sparkline({ sparkline, t }: { sparkline: MirrorSparklineDto | undefined; t: Dictionary }) {
  const buckets = sparkline ? expandSparkline(sparkline) : [];
  if (buckets.length === 0) return <span className="muted">{t.common.noData}</span>;
  const model = sparklineModel(buckets);
  const label =
    model.worstSuccessRate === null
      ? t.sparkline.noData
      : formatMessage(t.sparkline.label, {
          min: formatMs(model.minLatencyMs),
          max: formatMs(model.maxLatencyMs),
          worst: formatPercent(model.worstSuccessRate),
        });
  const { width, height } = SPARKLINE_SIZE;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      {model.linePath ? <path className="spark-line" d={model.linePath} /> : null}
      {model.dots.map((dot) => (
        <circle key={dot.x} className="spark-dot" cx={dot.x} cy={dot.y} r={1.4} />
      ))}
      {model.cells.map((cell) => (
        <rect
          key={cell.x}
          className={`spark-cell spark-${cell.grade}`}
          x={cell.x}
          y={cell.y}
          width={cell.width}
          height={cell.height}
          rx={0.6}
        />
      ))}
    </svg>
  );
}
