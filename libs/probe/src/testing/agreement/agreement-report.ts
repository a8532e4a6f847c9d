import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import type { ProbeResult } from '@mirrorwatch/domain';
import type { AgreementCase } from './agreement-cases.js';
import { stableText, type ClientOutcome, type ClientSkipped } from './client-outcome.js';

export interface AgreementRow {
  agreementCase: AgreementCase;
  engine: ProbeResult;
  skopeo: ClientOutcome | ClientSkipped;
  ctr: ClientOutcome | ClientSkipped;
}

export const TABLE_START = '<!-- agreement-table:start -->';
export const TABLE_END = '<!-- agreement-table:end -->';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function engineCell(result: ProbeResult): string {
  const verdict = result.ok ? 'usable' : `unusable: \`${result.failureClass}\` (${result.failedPhase})`;
  return `${verdict}, ${seconds(result.durationMs)}`;
}

function clientCell(outcome: ClientOutcome | ClientSkipped): string {
  if ('skipped' in outcome) return `not run: ${outcome.skipped}`;
  const verdict = outcome.usable ? 'usable' : outcome.killed ? 'unusable (killed at deadline)' : `unusable (exit ${outcome.exitCode})`;
  return `${verdict}, ${seconds(outcome.durationMs)}`;
}

export type Agreement = 'yes' | 'no' | 'not run';

/**
 * `yes` only when at least one real client ran and every client that ran
 * lived through our verdict; `not run` when none ran (an empty check is not
 * an agreement).
 */
export function agreementOf(row: AgreementRow): Agreement {
  const clients = [row.skopeo, row.ctr].filter((outcome): outcome is ClientOutcome => !('skipped' in outcome));
  if (clients.length === 0) return 'not run';
  return clients.every((outcome) => outcome.usable === row.engine.ok) ? 'yes' : 'no';
}

const AGREEMENT_CELLS: Record<Agreement, string> = { yes: 'yes', no: '**no**', 'not run': '**not run**' };

function versionOf(binary: string, args: string[] = ['--version']): string {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', timeout: 5_000 }).trim().split('\n')[0] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Where the figures were measured: they are wall times of real processes on one machine. */
export function machineDescription(): string[] {
  const cpu = cpus();
  return [
    `- CPU: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}, RAM ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
    `- Node ${process.version}; ${versionOf('skopeo')}; ${versionOf('containerd')}; ${versionOf('docker-registry')}`,
  ];
}

/**
 * The measured table, rendered for docs/agreement.md. Refuses a run in which
 * some case was checked by no real client: the page claims agreement with
 * real clients, so it is only ever written from a run where they ran.
 */
export function renderAgreementSection(
  rows: readonly AgreementRow[],
  { wallMs, clientTimeoutMs }: { wallMs: number; clientTimeoutMs: number },
): string {
  const unchecked = rows.filter((row) => agreementOf(row) === 'not run').map((row) => row.agreementCase.id);
  if (unchecked.length > 0) {
    throw new Error(
      `refusing to write the agreement table: no real client ran for ${unchecked.join(', ')} (install skopeo and containerd; .ci/run does)`,
    );
  }
  const lines = [
    TABLE_START,
    `Measured ${new Date().toISOString().slice(0, 10)}; all cases ran in parallel, the whole run (lab start included) took ${seconds(wallMs)}; client deadline ${seconds(clientTimeoutMs)}.`,
    '',
    ...machineDescription(),
    '',
    '| case | repository | mirrorwatch deep probe | skopeo copy | ctr content fetch | agree | mirrorwatch policy above the probe |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const { id, repository, policy } = row.agreementCase;
      return `| ${[id, repository, engineCell(row.engine), clientCell(row.skopeo), clientCell(row.ctr), AGREEMENT_CELLS[agreementOf(row)], policy ?? ''].map(cell).join(' | ')} |`;
    }),
    '',
    'What each one said when it failed (ports, temp paths and digests shortened):',
    '',
    '| case | mirrorwatch detail | skopeo | ctr |',
    '|---|---|---|---|',
    ...rows
      .filter((row) => !row.engine.ok)
      .map((row) => {
        const said = (outcome: ClientOutcome | ClientSkipped): string => ('skipped' in outcome ? '' : (outcome.reason ?? ''));
        return `| ${[row.agreementCase.id, stableText(row.engine.detail ?? ''), said(row.skopeo), said(row.ctr)].map(cell).join(' | ')} |`;
      }),
    TABLE_END,
  ];
  return lines.join('\n');
}

/** Replaces the section between the markers, keeping the hand-written text around it. */
export async function writeAgreementSection(docPath: string, section: string): Promise<void> {
  const doc = await readFile(docPath, 'utf8');
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`${docPath} has no ${TABLE_START} … ${TABLE_END} section to fill`);
  await writeFile(docPath, doc.slice(0, start) + section + doc.slice(end + TABLE_END.length));
}
