import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import type { Dictionary } from '../i18n/dictionary-en';
import { formatMessage } from '../i18n/format-message';

/**
 * "Why it fails" under a down or degraded mirror: class label, phase and the
 * probe's own detail. No hooks, so server pages and the live table share it.
 */
export function FailureSummary({ mirror, t }: { mirror: MirrorSummaryDto; t: Dictionary }) {
  if (mirror.status !== 'down' && mirror.status !== 'degraded') return null;
  if (mirror.failureClass === null && mirror.failureDetail === null) return null;
  return (
    <div className={mirror.status === 'down' ? 'failure' : 'failure failure-degraded'}>
      <span className="visually-hidden">{t.ranking.failureHeading}: </span>
      {mirror.failureClass ? <strong data-failure-class={mirror.failureClass}>{t.failureClass[mirror.failureClass]}</strong> : null}
      {mirror.failedPhase ? <span> ({formatMessage(t.ranking.failedPhase, { phase: mirror.failedPhase })})</span> : null}
      {mirror.failureDetail ? <span>: {mirror.failureDetail}</span> : null}
    </div>
  );
}
