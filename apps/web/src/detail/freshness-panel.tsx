import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { FreshnessBadge } from '../components/freshness-badge';
import { formatThroughput } from '../format/numbers';
import { formatAge, formatUtc } from '../format/time';
import type { Dictionary } from '../i18n/dictionary-en';
import { formatMessage } from '../i18n/format-message';

/**
 * What the deep probes established: whether the mirror serves the tag's
 * current digest (served vs reference, the `stale` rule), and the last blob it
 * delivered intact (sha256 checked against its digest) with the throughput
 * measured after the first byte. Full digests are shown: users compare them
 * with `docker pull` output, and a shortened one can hide a mismatch.
 */
export function FreshnessPanel({ mirror, t, now }: { mirror: MirrorSummaryDto; t: Dictionary; now: number }) {
  const comparable = mirror.lastDigest !== null && mirror.referenceDigest !== null;
  const matches = comparable && mirror.lastDigest === mirror.referenceDigest;
  return (
    <section className="panel" aria-labelledby="digest-heading" data-testid="freshness-panel">
      <h2 id="digest-heading" style={{ marginTop: 0 }}>
        {t.detail.digestHeading}
      </h2>
      <p>
        <FreshnessBadge freshness={mirror.freshness} t={t} /> <span className="muted">{t.freshnessHint[mirror.freshness]}</span>
      </p>
      <dl className="facts">
        <dt>{t.detail.servedDigest}</dt>
        <dd>
          <span className="mono digest" data-testid="served-digest">
            {mirror.lastDigest ?? t.common.noData}
          </span>
          {comparable ? (
            <span className={matches ? 'digest-match' : 'digest-differs'} data-testid="digest-comparison">
              <span aria-hidden="true">{matches ? ' ✓ ' : ' ≠ '}</span>
              {matches ? t.detail.digestMatches : t.detail.digestDiffers}
            </span>
          ) : null}
        </dd>
        <dt>{t.detail.referenceDigest}</dt>
        <dd className="mono digest" data-testid="reference-digest">
          {mirror.referenceDigest ?? t.common.noData}
        </dd>
        <dt>{t.detail.lastVerifiedBlob}</dt>
        <dd data-testid="verified-blob">
          {mirror.verifiedBlobDigest !== null && mirror.lastVerifiedAt !== null ? (
            <>
              <span className="mono digest">{mirror.verifiedBlobDigest}</span>
              <br />
              <time dateTime={mirror.lastVerifiedAt}>
                {formatMessage(t.detail.verifiedAt, {
                  time: formatUtc(mirror.lastVerifiedAt),
                  age: formatAge(mirror.lastVerifiedAt, now, t.age),
                })}
              </time>
            </>
          ) : (
            <span className="muted">{t.detail.notVerified}</span>
          )}
        </dd>
        <dt>{t.detail.deepThroughput}</dt>
        <dd data-testid="deep-throughput">{formatThroughput(mirror.throughputBytesPerSec)}</dd>
      </dl>
    </section>
  );
}
