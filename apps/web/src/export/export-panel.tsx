'use client';
import {
  EXPORT_FORMAT_INFO,
  EXPORT_FORMATS,
  RECOMMENDED_COUNT_MAX,
  RECOMMENDED_COUNT_MIN,
  type ExportFormat,
} from '@mirrorwatch/api-types';
import { useEffect, useRef, useState } from 'react';
import { formatMessage } from '../i18n/format-message';
import { useI18n } from '../i18n/i18n-context';
import { CopyButton } from './copy-button';
import { readPullCost, type PullCost } from './pull-cost';
import { choicePath, clampCount, curlCommand, exportPageQuery, needsProxy, type ExportChoice } from './export-query';

interface Props {
  origin: string;
  initialChoice: ExportChoice;
  initialPreview: Preview;
}

export type Preview =
  { ok: true; text: string; cost: PullCost | null } | { ok: false; error: string } | { loading: true } | { needsProxy: true };

/** Picks format and count; previews the API's output live. The form also works as a plain GET without JavaScript. */
export function ExportPanel({ origin, initialChoice, initialPreview }: Props) {
  const { t } = useI18n();
  const [choice, setChoice] = useState(initialChoice);
  // The field keeps what the user types (even "" mid-edit); the request uses the clamped value.
  const [countText, setCountText] = useState(String(initialChoice.count));
  const [preview, setPreview] = useState<Preview>(initialPreview);
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false; // the server already rendered this choice's preview
      return;
    }
    window.history.replaceState(null, '', `${window.location.pathname}${exportPageQuery(choice)}`);
    if (needsProxy(choice)) {
      setPreview({ needsProxy: true });
      return;
    }
    const controller = new AbortController();
    // Debounce typing in the count and proxy fields.
    const timer = window.setTimeout(async () => {
      setPreview({ loading: true });
      try {
        const response = await fetch(choicePath(choice), { cache: 'no-store', signal: controller.signal });
        const text = await response.text();
        setPreview(
          response.ok ? { ok: true, text, cost: readPullCost(response.headers) } : { ok: false, error: `HTTP ${response.status}` },
        );
      } catch (error) {
        if (!controller.signal.aborted) setPreview({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [choice]);

  const info = EXPORT_FORMAT_INFO[choice.format];
  const curl = curlCommand(origin, choice);
  return (
    <>
      <form className="panel form-grid" method="get" action="/export" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t.exportPage.target}
          <select
            name="format"
            value={choice.format}
            onChange={(event) => setChoice({ ...choice, format: event.target.value as ExportFormat })}
          >
            {EXPORT_FORMATS.map((format) => (
              <option key={format} value={format}>
                {t.exportTarget[format]}
              </option>
            ))}
          </select>
        </label>
        {info.usesCount ? (
          <label>
            {t.exportPage.count}
            <input
              type="number"
              name="count"
              min={RECOMMENDED_COUNT_MIN}
              max={RECOMMENDED_COUNT_MAX}
              value={countText}
              onChange={(event) => {
                setCountText(event.target.value);
                if (event.target.value !== '') setChoice({ ...choice, count: clampCount(event.target.value) });
              }}
              onBlur={() => setCountText(String(choice.count))}
            />
          </label>
        ) : (
          <>
            <label>
              {t.exportPage.proxy}
              <input
                type="url"
                name="proxy"
                placeholder={t.exportPage.proxyPlaceholder}
                value={choice.proxy}
                onChange={(event) => setChoice({ ...choice, proxy: event.target.value.trim() })}
              />
            </label>
            <label>
              {t.exportPage.noProxy}
              <input
                type="text"
                name="noProxy"
                placeholder="localhost,127.0.0.1,.corp.example"
                value={choice.noProxy}
                onChange={(event) => setChoice({ ...choice, noProxy: event.target.value.trim() })}
              />
            </label>
          </>
        )}
        <noscript>
          <button type="submit" className="btn">
            {t.exportPage.show}
          </button>
        </noscript>
      </form>

      <section className="panel" aria-labelledby="curl-heading">
        <h2 id="curl-heading" style={{ marginTop: 0 }}>
          {t.exportPage.curlHeading}
        </h2>
        <div className="code-row">
          <pre className="code" data-testid="export-curl">
            {curl}
          </pre>
          <CopyButton text={curl} />
        </div>
      </section>

      <section className="panel" aria-labelledby="preview-heading">
        <h2 id="preview-heading" style={{ marginTop: 0 }}>
          {t.exportPage.preview}
        </h2>
        <p className="muted">{formatMessage(t.exportPage.writeTo, { path: info.targetPath })}</p>
        {'loading' in preview ? (
          <p className="muted">{t.exportPage.loading}</p>
        ) : 'needsProxy' in preview ? (
          <p className="notice notice-warn" data-testid="export-needs-proxy">
            {t.exportPage.needsProxy}
          </p>
        ) : preview.ok ? (
          <>
            <div className="code-row">
              <pre className="code" data-testid="export-preview">
                {preview.text}
              </pre>
              <CopyButton text={preview.text} />
            </div>
            {preview.cost ? (
              <p className="muted" data-testid="export-cost">
                {formatMessage(t.exportPage.expectedCost, { ms: `${Math.round(preview.cost.expectedPullMs)} ms` })}
                {preview.cost.recommendedCount !== null
                  ? ` ${formatMessage(t.exportPage.recommendedLength, { n: preview.cost.recommendedCount })}`
                  : ''}
              </p>
            ) : null}
          </>
        ) : (
          <p className="notice notice-error">{formatMessage(t.exportPage.fetchFailed, { error: preview.error })}</p>
        )}
      </section>
    </>
  );
}
