import { afterEach, describe, expect, it } from 'vitest';
import { MissingTestRequirementError, requestedSkips, requirement, SKIP_VARIABLE } from './test-requirements.js';

describe('test requirements', () => {
  const saved = process.env[SKIP_VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[SKIP_VARIABLE];
    else process.env[SKIP_VARIABLE] = saved;
  });

  it('reads the names in MIRRORWATCH_SKIP and refuses unknown ones', () => {
    expect([...requestedSkips(' postgres, chromium ,')]).toEqual(['postgres', 'chromium']);
    expect(requestedSkips(undefined).size).toBe(0);
    expect(() => requestedSkips('postgres,postgress')).toThrow(/unknown postgress; allowed: postgres, chromium, containerd, skopeo/);
  });

  it('runs a suite whose requirement is present', () => {
    delete process.env[SKIP_VARIABLE];
    expect(requirement({ name: 'skopeo', missing: null, install: 'apt-get install -y skopeo' })).toEqual({ skip: false, label: '' });
  });

  it('fails, naming the package and the opt-out, when the requirement is missing and not skipped', () => {
    delete process.env[SKIP_VARIABLE];
    const check = { name: 'postgres' as const, missing: 'initdb not found', install: 'apt-get install -y postgresql' };
    expect(() => requirement(check)).toThrow(MissingTestRequirementError);
    expect(() => requirement(check)).toThrow(
      /initdb not found\. Install it \(apt-get install -y postgresql; \.ci\/run .*MIRRORWATCH_SKIP=postgres/,
    );
  });

  it('skips only what MIRRORWATCH_SKIP names, marking the suite for the summary', () => {
    process.env[SKIP_VARIABLE] = 'chromium';
    expect(requirement({ name: 'chromium', missing: '/usr/bin/chromium is missing', install: 'apt-get install -y chromium' })).toEqual({
      skip: true,
      label: ' [MIRRORWATCH_SKIP=chromium]',
    });
    expect(() => requirement({ name: 'postgres', missing: 'initdb not found', install: 'apt-get install -y postgresql' })).toThrow(
      MissingTestRequirementError,
    );
  });
});
