import { describe, expect, it } from 'vitest';
import { withoutPrivateSeries } from './private-series-filter.js';

const EXPOSITION = [
  '# HELP mirrorwatch_probe_success Whether the latest probe succeeded',
  '# TYPE mirrorwatch_probe_success gauge',
  'mirrorwatch_probe_success{mirror="docker-1ms-run",vantage="local",kind="light"} 1',
  'mirrorwatch_probe_success{mirror="private-0123456789abcdef",vantage="local",kind="light"} 1',
  'mirrorwatch_mirror_info{mirror="private-0123456789abcdef",url="",name="",visibility="private",eligible="true"} 1',
  'mirrorwatch_mirror_info{name="x mirror=\\"private-0123456789abcdef\\"",mirror="hub-rat-dev",url="https://hub.rat.dev",visibility="public",eligible="true"} 1',
  'mirrorwatch_scheduler_leader 1',
  '',
].join('\n');

describe('withoutPrivateSeries', () => {
  it('drops samples of private mirrors only, whatever the label order or other label values', () => {
    const filtered = withoutPrivateSeries(EXPOSITION, (id) => id.startsWith('private-'));
    expect(filtered).not.toContain('mirror="private-');
    expect(filtered).toContain('mirror="docker-1ms-run"');
    expect(filtered).toContain('mirror="hub-rat-dev"');
    expect(filtered).toContain('mirrorwatch_scheduler_leader 1');
    expect(filtered).toContain('# TYPE mirrorwatch_probe_success gauge');
  });

  it('keeps everything when no mirror is private', () => {
    expect(withoutPrivateSeries(EXPOSITION, () => false)).toBe(EXPOSITION);
  });
});
