import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InstallScriptError, InvalidMirrorError } from './export-errors.js';
import { expectGolden, SAMPLE_MIRRORS } from './testing/golden.fixture.js';
import { renderInstallScript } from './install-script.js';

describe('renderInstallScript', () => {
  const script = renderInstallScript({ mirrors: SAMPLE_MIRRORS, serverUrl: 'https://mirrorwatch.example/' });

  it('matches the golden file', () => {
    expectGolden('install.sh', script);
  });

  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });

  it('embeds the normalized, deduplicated mirrors', () => {
    expect(script).toContain(`MIRRORS_JSON='["https://docker.m.daocloud.io","https://docker.1ms.run","http://127.0.0.1:5001"]'`);
    expect(script).toContain(`MIRRORS=('https://docker.m.daocloud.io' 'https://docker.1ms.run' 'http://127.0.0.1:5001')`);
  });

  it.each([
    ['not a URL', 'mirrorwatch', /not a URL/],
    ['ftp', 'ftp://m.example', /http:\/\/ or https:\/\//],
    ['credentials', 'https://u:p@m.example', /credentials/],
    ['shell metacharacters', 'https://m.example/$(id)', /unsafe/],
  ])('refuses a serverUrl with %s', (_label, serverUrl, reason) => {
    expect(() => renderInstallScript({ mirrors: [], serverUrl })).toThrow(InstallScriptError);
    expect(() => renderInstallScript({ mirrors: [], serverUrl })).toThrow(reason);
  });

  it('refuses a bad mirror', () => {
    expect(() => renderInstallScript({ mirrors: ["https://a.example'; rm -rf /"], serverUrl: 'https://m.example' })).toThrow(
      InvalidMirrorError,
    );
  });
});
