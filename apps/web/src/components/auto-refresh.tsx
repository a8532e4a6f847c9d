'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Re-renders the current server page every `seconds` (router.refresh keeps
 * scroll and client state, and costs no page-specific JavaScript). Skips while
 * the tab is hidden and catches up when it becomes visible.
 */
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  useEffect(() => {
    let last = Date.now();
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      if (Date.now() - last < seconds * 1000 - 250) return;
      last = Date.now();
      router.refresh();
    };
    const timer = window.setInterval(tick, 1000);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [router, seconds]);
  return null;
}
