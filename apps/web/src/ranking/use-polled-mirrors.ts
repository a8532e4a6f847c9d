'use client';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { useEffect, useState } from 'react';

export interface PolledMirrors {
  mirrors: MirrorSummaryDto[];
  /** When the shown data was fetched (ms since epoch). */
  fetchedAt: number;
  /** Set when the latest poll failed; the previous data stays on screen. */
  failed: boolean;
}

/** Polls `GET /api/mirrors` (same origin) every `intervalMs` while the tab is visible. */
export function usePolledMirrors(initial: MirrorSummaryDto[], initialFetchedAt: number, intervalMs: number): PolledMirrors {
  const [state, setState] = useState<PolledMirrors>({ mirrors: initial, fetchedAt: initialFetchedAt, failed: false });
  useEffect(() => {
    let cancelled = false;
    let inFlight: AbortController | null = null;
    const poll = async () => {
      if (document.visibilityState !== 'visible' || inFlight !== null) return;
      inFlight = new AbortController();
      try {
        const response = await fetch('/api/mirrors', { cache: 'no-store', signal: inFlight.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const mirrors = (await response.json()) as MirrorSummaryDto[];
        if (!cancelled) setState({ mirrors, fetchedAt: Date.now(), failed: false });
      } catch {
        if (!cancelled) setState((previous) => ({ ...previous, failed: true }));
      } finally {
        inFlight = null;
      }
    };
    const timer = window.setInterval(() => void poll(), intervalMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      inFlight?.abort();
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs]);
  return state;
}

/** A clock for "checked N s ago" that starts at the server's render time (no hydration mismatch). */
export function useNow(initialNow: number, tickMs = 1000): number {
  const [now, setNow] = useState(initialNow);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), tickMs);
    return () => window.clearInterval(timer);
  }, [tickMs]);
  return now;
}
