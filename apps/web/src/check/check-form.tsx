'use client';
import type { CheckDto } from '@mirrorwatch/api-types';
import { useEffect, useState } from 'react';
import { formatMs, formatThroughput, shortDigest } from '../format/numbers';
import { formatUtc } from '../format/time';
import { formatMessage } from '../i18n/format-message';
import { useI18n } from '../i18n/i18n-context';
import { readCheckResponse, type CheckOutcome } from './check-request';

type State = CheckOutcome | { kind: 'idle' } | { kind: 'running' };

/** The URL form and the result of one check; `initialId` loads a kept result (`/check?id=`). */
export function CheckForm({ initialId }: { initialId: string | null }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [state, setState] = useState<State>(initialId === null ? { kind: 'idle' } : { kind: 'running' });

  useEffect(() => {
    if (initialId === null) return;
    const controller = new AbortController();
    fetch(`/api/checks/${encodeURIComponent(initialId)}`, { cache: 'no-store', signal: controller.signal })
      .then(readCheckResponse)
      .then(setState)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [initialId]);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setState({ kind: 'running' });
    try {
      const response = await fetch('/api/checks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      const outcome = await readCheckResponse(response);
      setState(outcome);
      if (outcome.kind === 'result') window.history.replaceState(null, '', `/check?id=${encodeURIComponent(outcome.check.id)}`);
    } catch (error) {
      setState({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <>
      <form className="panel form-grid" onSubmit={submit}>
        <label className="grow">
          {t.checkPage.urlLabel}
          <input
            type="url"
            name="url"
            required
            value={url}
            placeholder={t.checkPage.urlPlaceholder}
            onChange={(event) => setUrl(event.target.value)}
          />
        </label>
        <button type="submit" className="btn" disabled={state.kind === 'running'}>
          {t.checkPage.submit}
        </button>
      </form>
      <CheckState state={state} />
    </>
  );
}

function CheckState({ state }: { state: State }) {
  const { t } = useI18n();
  switch (state.kind) {
    case 'idle':
      return null;
    case 'running':
      return (
        <p className="muted" role="status">
          {t.checkPage.running}
        </p>
      );
    case 'result':
      return <CheckResult check={state.check} />;
    case 'refused':
      return (
        <p className="notice notice-error" role="alert">
          {formatMessage(t.checkPage.refused, { message: state.message })}
        </p>
      );
    case 'busy':
      return (
        <p className="notice notice-warn" role="alert">
          {t.checkPage.busy}
        </p>
      );
    case 'rate_limited':
      return (
        <p className="notice notice-warn" role="alert">
          {formatMessage(t.checkPage.rateLimited, { seconds: String(state.retryAfterSeconds) })}
        </p>
      );
    case 'unavailable':
      return (
        <p className="notice notice-warn" role="alert">
          {t.checkPage.unavailable}
        </p>
      );
    case 'not_found':
      return (
        <p className="notice notice-warn" role="alert">
          {t.checkPage.notFound}
        </p>
      );
    case 'failed':
      return (
        <p className="notice notice-error" role="alert">
          {formatMessage(t.checkPage.failed, { error: state.error })}
        </p>
      );
  }
}

function CheckResult({ check }: { check: CheckDto }) {
  const { t } = useI18n();
  const phases: [string, number | null][] = [
    [t.checkPage.phaseDns, check.timings.dnsMs],
    [t.checkPage.phaseConnect, check.timings.connectMs],
    [t.checkPage.phaseTls, check.timings.tlsMs],
    [t.checkPage.phasePing, check.timings.pingTtfbMs],
    [t.checkPage.phaseToken, check.timings.tokenMs],
    [t.checkPage.phaseManifest, check.timings.manifestMs],
    [t.checkPage.phaseBlobTtfb, check.timings.blobTtfbMs],
    [t.checkPage.phaseBlobTransfer, check.timings.blobTransferMs],
  ];
  const failure = check.failureClass === null ? '' : t.failureClass[check.failureClass];
  return (
    <section className="panel" data-verdict={check.verdict}>
      <h2 className="mono">{check.url}</h2>
      {check.verdict === 'usable' ? (
        <p className="notice notice-ok">{t.checkPage.usable}</p>
      ) : (
        <p className="notice notice-error">{formatMessage(t.checkPage.unusable, { failure })}</p>
      )}
      <dl className="facts">
        {check.failedPhase !== null ? (
          <>
            <dt>{t.checkPage.failedPhase}</dt>
            <dd>{check.failedPhase}</dd>
          </>
        ) : null}
        {check.httpStatus !== null ? (
          <>
            <dt>{t.checkPage.httpStatus}</dt>
            <dd>{check.httpStatus}</dd>
          </>
        ) : null}
        {check.detail !== null ? (
          <>
            <dt>{t.checkPage.detail}</dt>
            <dd className="mono">{check.detail}</dd>
          </>
        ) : null}
        {check.digest !== null ? (
          <>
            <dt>{t.checkPage.digest}</dt>
            <dd className="mono" title={check.digest}>
              {shortDigest(check.digest)}
            </dd>
          </>
        ) : null}
        {check.blob !== null ? (
          <>
            <dt>{t.checkPage.blob}</dt>
            <dd>
              {formatMessage(check.blob.verified ? t.checkPage.blobVerified : t.checkPage.blobUnverified, {
                bytes: String(check.blob.bytes),
                throughput: formatThroughput(check.blob.throughputBytesPerSec),
              })}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>{t.checkPage.timings}</h3>
      <table className="data">
        <thead>
          <tr>
            <th>{t.checkPage.phase}</th>
            <th>{t.checkPage.duration}</th>
          </tr>
        </thead>
        <tbody>
          {phases.map(([label, ms]) => (
            <tr key={label}>
              <td>{label}</td>
              <td className="num">{formatMs(ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        <a href={`/check?id=${encodeURIComponent(check.id)}`}>{t.checkPage.permalink}</a> ·{' '}
        {formatMessage(t.checkPage.expires, { time: formatUtc(check.expiresAt) })}
      </p>
    </section>
  );
}
