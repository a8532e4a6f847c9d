export interface KillRecord {
  iteration: number;
  /** What the product was doing: before /health/live answered, rolling up, or probing after the rollup. */
  phase: 'starting' | 'rollup' | 'probing';
  killedAfterMs: number;
  liveMs: number | null;
  firstProbeMs: number | null;
  integrity: string;
  committed: number;
  kept: number;
  mismatches: string[];
}

export interface ProviderFigures {
  label: string;
  records: KillRecord[];
  seededRows: number;
  finalResumeMs: number | null;
}

function quantile(values: number[], q: number): string {
  if (values.length === 0) return '-';
  const sorted = [...values].sort((a, b) => a - b);
  return String(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}

export function renderReport(
  figures: ProviderFigures[],
  run: { seed: number; cores: number; cpu: string; flapPeriodMs: number; mirrors: number },
): string {
  const lines = [
    '# Crash safety: SIGKILL during probing and rollups',
    '',
    `Produced by \`npm run bench:crash-safety -- --seed ${run.seed}\` (bench/crash-safety/run.ts) on ${new Date().toISOString().slice(0, 10)}, ${run.cores} × ${run.cpu}.`,
    `The lab: ${run.mirrors} mirrors on loopback (the standard lab plus 6 mirrors that flap between working and 503 every ${run.flapPeriodMs / 1000} s),`,
    'probes every 5 s, hysteresis of one probe (so incidents open and close all the time), and a day of seeded probe rows that every start-up rollup re-reads.',
    'Each kill is a SIGKILL of the process group at a random moment: 30 % within 0.3-20 s of the spawn (migration check, catalog sync, leadership, rollup), the rest 0-8 s after it answered /api/health/live (probing starts then).',
    "After every kill: `PRAGMA integrity_check` (SQLite), every probe row committed before the kill still present, and every mirror's state agreeing with its open incidents (down ⇔ exactly one open).",
    '',
    '| database | kills | killed while starting / rolling up / probing | integrity failures | committed probe rows lost | state/incident mismatches | live after restart (median / max) | first new probe stored (median / max) | seeded rows |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const count = (phase: KillRecord['phase']) => f.records.filter((r) => r.phase === phase).length;
    const live = f.records.flatMap((r) => (r.liveMs === null ? [] : [r.liveMs]));
    const probe = f.records.flatMap((r) => (r.firstProbeMs === null ? [] : [r.firstProbeMs]));
    lines.push(
      `| ${f.label} | ${f.records.length} | ${count('starting')} / ${count('rollup')} / ${count('probing')} | ${f.records.filter((r) => r.integrity !== 'ok').length} | ${f.records.reduce((sum, r) => sum + (r.committed - r.kept), 0)} | ${f.records.reduce((sum, r) => sum + r.mismatches.length, 0)} | ${quantile(live, 0.5)} / ${quantile(live, 1)} ms | ${quantile(probe, 0.5)} / ${quantile(probe, 1)} ms | ${f.seededRows} |`,
    );
  }
  lines.push(
    '',
    'After the last kill, one more start stored a new probe in: ' +
      figures.map((f) => `${f.label} ${f.finalResumeMs ?? 'never'} ms`).join(', ') +
      '.',
    '',
  );
  lines.push(
    '"Live" and "first new probe" are timed from the spawn of the process; restarts killed before they got there are left out of those two columns.',
    '',
  );
  return lines.join('\n');
}
