'use client';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { useEffect, useState } from 'react';

export interface Polled<T> {
  data: T;
  /** When the shown data was fetched (ms since epoch). */
  fetchedAt: number;
  /** Set when the latest poll failed; the previous data stays on screen. */
  failed: boolean;
}

/** Polls a same-origin JSON endpoint every `intervalMs` while the tab is visible (and at once when it becomes visible). */
export function usePolledJson<T>(path: string, initial: T, initialFetchedAt: number, intervalMs: number): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: initial, fetchedAt: initialFetchedAt, failed: false });
  useEffect(() => {
    let cancelled = false;
    let inFlight: AbortController | null = null;
    const poll = async () => {
      if (document.visibilityState !== 'visible' || inFlight !== null) return;
      inFlight = new AbortController();
      try {
        const response = await fetch(path, { cache: 'no-store', signal: inFlight.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const data = (await response.json()) as T;
        if (!cancelled) setState({ data, fetchedAt: Date.now(), failed: false });
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
  }, [path, intervalMs]);
  return state;
}

export interface PolledMirrors {
  mirrors: MirrorSummaryDto[];
  fetchedAt: number;
  failed: boolean;
}

/** Polls `GET /api/mirrors`. */
export function usePolledMirrors(initial: MirrorSummaryDto[], initialFetchedAt: number, intervalMs: number): PolledMirrors {
  const { data, fetchedAt, failed } = usePolledJson('/api/mirrors', initial, initialFetchedAt, intervalMs);
  return { mirrors: data, fetchedAt, failed };
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
