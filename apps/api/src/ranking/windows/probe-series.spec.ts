import { describe, expect, it } from 'vitest';
import { ProbeSeries, type WindowProbe } from './probe-series.js';

const at = (second: number) => new Date(Date.UTC(2026, 2, 10) + second * 1000);
const probe = (second: number, overrides: Partial<WindowProbe> = {}): WindowProbe => ({
  startedAt: at(second),
  ok: true,
  failureClass: null,
  main: true,
  manifestMs: second,
  ...overrides,
});

describe('ProbeSeries', () => {
  it('keeps start order when a probe is stored after later ones, through growth and eviction', () => {
    const series = new ProbeSeries();
    // 200 probes, every tenth stored late (a deep probe finishing after later light ones): more than the initial buffer.
    const seconds = Array.from({ length: 200 }, (_, index) => index);
    for (const second of seconds.filter((s) => s % 10 !== 0)) series.add(probe(second));
    for (const second of seconds.filter((s) => s % 10 === 0)) series.add(probe(second));
    expect(series.manifestLatenciesSince(at(0).getTime())).toEqual(seconds);
    series.evictBefore(at(150).getTime());
    expect(series.size).toBe(50);
    expect(series.counts()).toMatchObject({ probes: 50, successes: 50 });
    expect(series.manifestLatenciesSince(at(195).getTime())).toEqual([195, 196, 197, 198, 199]);
    for (let second = 200; second < 400; second += 1) series.add(probe(second));
    expect(series.manifestLatenciesSince(at(0).getTime())).toEqual(Array.from({ length: 250 }, (_, index) => 150 + index));
  });

  it.each([
    ['a success', probe(1), { probes: 1, successes: 1, integrityFailures: 0, timeouts: 0, connectTimeouts: 0 }, [1]],
    ['a timeout', probe(1, { ok: false, failureClass: 'timeout', manifestMs: null }), { probes: 1, successes: 0, timeouts: 1 }, []],
    ['a connect timeout', probe(1, { ok: false, failureClass: 'connect_timeout' }), { probes: 1, connectTimeouts: 1 }, []],
    ['an integrity failure', probe(1, { ok: false, failureClass: 'integrity' }), { probes: 1, integrityFailures: 1 }, []],
    [
      "the allowlist check's integrity failure (not the main image)",
      probe(1, { ok: false, failureClass: 'integrity', main: false }),
      { probes: 0, integrityFailures: 1 },
      [],
    ],
    ["the allowlist check's success", probe(1, { main: false }), { probes: 0, successes: 0 }, []],
    ['a success without a manifest time', probe(1, { manifestMs: null }), { probes: 1, successes: 1 }, []],
  ])('counts %s and undoes it when it leaves the window', (_name, added, counts, latencies) => {
    const series = new ProbeSeries();
    series.add(added);
    expect(series.counts()).toMatchObject(counts);
    expect(series.manifestLatenciesSince(0)).toEqual(latencies);
    series.evictBefore(at(2).getTime());
    expect(series.counts()).toEqual({ probes: 0, successes: 0, integrityFailures: 0, timeouts: 0, connectTimeouts: 0 });
  });
});
