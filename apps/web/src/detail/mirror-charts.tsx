'use client';
import type { HistoryBucketDto, HistoryWindow } from '@mirrorwatch/api-types';
import { useMemo, type ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../i18n/i18n-context';
import { formatTick, toChartPoints, type ChartPoint } from './chart-data';

const PHASE_COLORS = { dns: '#8250df', connect: '#1f6feb', tls: '#bf8700', firstByte: '#1a7f37', manifest: '#cf222e' } as const;

const utcLabel = (value: unknown) => `${new Date(Number(value)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** One titled panel with a time-axis line chart; the lines are the children. */
function TimeChartPanel(props: {
  id: string;
  heading: string;
  points: ChartPoint[];
  window: HistoryWindow;
  unit: string;
  yAxisWidth: number;
  formatValue: (value: number) => string;
  legend?: boolean;
  children: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`} style={{ marginTop: 0 }}>
        {props.heading}
      </h2>
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={props.points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(value: number) => formatTick(value, props.window)}
              minTickGap={24}
            />
            <YAxis unit={props.unit} width={props.yAxisWidth} />
            <Tooltip
              labelFormatter={utcLabel}
              formatter={(value) => (value === null || value === undefined ? '—' : props.formatValue(Number(value)))}
            />
            {props.legend ? <Legend /> : null}
            {props.children}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

/** recharts measures the DOM, so these charts appear after hydration (not in the SSR HTML). */
export function MirrorCharts({ buckets, window }: { buckets: HistoryBucketDto[]; window: HistoryWindow }) {
  const { t } = useI18n();
  const points = useMemo(() => toChartPoints(buckets), [buckets]);
  const phases = [
    ['dns', t.detail.phaseDns],
    ['connect', t.detail.phaseConnect],
    ['tls', t.detail.phaseTls],
    ['firstByte', t.detail.phaseFirstByte],
    ['manifest', t.detail.phaseManifest],
  ] as const;
  return (
    <>
      <TimeChartPanel
        id="phases"
        heading={t.detail.phasesHeading}
        points={points}
        window={window}
        unit=" ms"
        yAxisWidth={70}
        formatValue={(value) => `${Math.round(value)} ms`}
        legend
      >
        {phases.map(([key, name]) => (
          <Line
            key={key}
            type="monotone"
            dataKey={key}
            name={name}
            stroke={PHASE_COLORS[key]}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </TimeChartPanel>
      <TimeChartPanel
        id="throughput"
        heading={t.detail.throughputHeading}
        points={points}
        window={window}
        unit=" MiB/s"
        yAxisWidth={80}
        formatValue={(value) => `${value} MiB/s`}
      >
        <Line
          type="monotone"
          dataKey="throughputMiBps"
          name={t.detail.throughputHeading}
          stroke="#1f6feb"
          dot={{ r: 2 }}
          isAnimationActive={false}
          connectNulls
        />
      </TimeChartPanel>
    </>
  );
}
