'use client';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { copyText } from './copy-text';

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <button type="button" className="btn" onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')} aria-live="polite">
      {state === 'copied' ? t.exportPage.copied : state === 'failed' ? t.exportPage.copyFailed : (label ?? t.exportPage.copy)}
    </button>
  );
}
