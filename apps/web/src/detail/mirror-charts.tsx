'use client';
import type { HistoryBucketDto, HistoryWindow } from '@mirrorwatch/api-types';
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../i18n/i18n-context';
import { formatTick, toChartPoints } from './chart-data';

const PHASE_COLORS = { dns: '#8250df', connect: '#1f6feb', tls: '#bf8700', firstByte: '#1a7f37', manifest: '#cf222e' } as const;

/** recharts measures the DOM, so these charts appear after hydration (not in the SSR HTML). */
export function MirrorCharts({ buckets, window }: { buckets: HistoryBucketDto[]; window: HistoryWindow }) {
  const { t } = useI18n();
  const points = useMemo(() => toChartPoints(buckets), [buckets]);
  const tick = (value: number) => formatTick(value, window);
  const label = (value: unknown) => `${new Date(Number(value)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const phases = [
    ['dns', t.detail.phaseDns],
    ['connect', t.detail.phaseConnect],
    ['tls', t.detail.phaseTls],
    ['firstByte', t.detail.phaseFirstByte],
    ['manifest', t.detail.phaseManifest],
  ] as const;
  return (
    <>
      <section className="panel" aria-labelledby="phases-heading">
        <h2 id="phases-heading" style={{ marginTop: 0 }}>
          {t.detail.phasesHeading}
        </h2>
        <div className="chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
              <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} minTickGap={24} />
              <YAxis unit=" ms" width={70} />
              <Tooltip labelFormatter={label} formatter={(value) => (value === null || value === undefined ? '—' : `${Math.round(Number(value))} ms`)} />
              <Legend />
              {phases.map(([key, name]) => (
                <Line key={key} type="monotone" dataKey={key} name={name} stroke={PHASE_COLORS[key]} dot={false} isAnimationActive={false} connectNulls={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section className="panel" aria-labelledby="throughput-heading">
        <h2 id="throughput-heading" style={{ marginTop: 0 }}>
          {t.detail.throughputHeading}
        </h2>
        <div className="chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
              <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} minTickGap={24} />
              <YAxis unit=" MiB/s" width={80} />
              <Tooltip labelFormatter={label} formatter={(value) => (value === null || value === undefined ? '—' : `${Number(value)} MiB/s`)} />
              <Line type="monotone" dataKey="throughputMiBps" name={t.detail.throughputHeading} stroke="#1f6feb" dot={{ r: 2 }} isAnimationActive={false} connectNulls />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
    </>
  );
}
