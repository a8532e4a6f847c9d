import { sendRegistryError, startFaultProxy, type FaultRule, type FaultServerHandle } from '@mirrorwatch/lab';

/**
 * A mirror that works for `periodMs`, then answers manifests with 503 for
 * `periodMs`, and so on (phase shifted by `offsetMs`): with hysteresis of one
 * probe it goes down and recovers every period, so incidents open and close
 * all through the run and a kill often lands near one.
 */
export function flapManifests(periodMs: number, offsetMs: number): FaultRule {
  return {
    name: `flap-${periodMs}`,
    intercept({ kind, res }) {
      if (kind !== 'manifest') return false;
      if (Math.floor((Date.now() + offsetMs) / periodMs) % 2 === 0) return false;
      sendRegistryError(res, 503, 'UNAVAILABLE', 'flapping lab mirror');
      return true;
    },
  };
}

export async function startFlappingMirrors(target: string, count: number, periodMs: number): Promise<FaultServerHandle[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      startFaultProxy({ name: `flap-${i}`, target, rules: [flapManifests(periodMs, Math.round((i * periodMs) / count))] }),
    ),
  );
}
