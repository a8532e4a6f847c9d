import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderInstallScript } from './install-script.js';

/**
 * Runs the generated install script with bash in a temporary root, with fake
 * `systemctl` and `docker` on PATH that behave like the real ones where it
 * matters: a restart re-reads daemon.json and fails on invalid JSON, and
 * `docker info` lists the configured mirrors with a trailing slash, as dockerd
 * normalizes them.
 */
const FAKE_SYSTEMCTL = `#!/usr/bin/env bash
echo "systemctl $*" >> "$FAKE_STATE/log"
if [ "$1" = restart ]; then
  n=$(cat "$FAKE_STATE/restarts" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$FAKE_STATE/restarts"
  rm -f "$FAKE_STATE/running"
  if [ "$n" -le "\${FAKE_FAIL_RESTARTS:-0}" ]; then exit 1; fi
  config="$MIRRORWATCH_ROOT/etc/docker/daemon.json"
  if [ -e "$config" ] && ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$config" 2>/dev/null; then exit 1; fi
  if [ -z "\${FAKE_NEVER_RUNNING:-}" ]; then touch "$FAKE_STATE/running"; fi
fi
exit 0
`;

const FAKE_DOCKER = `#!/usr/bin/env bash
echo "docker $*" >> "$FAKE_STATE/log"
[ "$1" = info ] || exit 2
[ -e "$FAKE_STATE/running" ] || { echo "Cannot connect to the Docker daemon" >&2; exit 1; }
if [ -n "\${FAKE_DOCKER_MIRRORS:-}" ]; then echo "$FAKE_DOCKER_MIRRORS"; exit 0; fi
python3 - "$MIRRORWATCH_ROOT/etc/docker/daemon.json" <<'PY'
import json, sys
try:
    config = json.load(open(sys.argv[1]))
except FileNotFoundError:
    config = {}
print(json.dumps([m.rstrip("/") + "/" for m in config.get("registry-mirrors", [])]))
PY
`;

const MIRRORS = ['https://docker.m.daocloud.io', 'https://docker.1ms.run'];
const EXISTING =
  '{\n  "log-driver": "json-file",\n  "registry-mirrors": ["https://old.example"],\n  "builder": {"gc": {"enabled": true}}\n}\n';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

interface RunOptions {
  existing?: string;
  mirrors?: string[];
  env?: Record<string, string>;
}

function run({ existing, mirrors = MIRRORS, env = {} }: RunOptions) {
  const root = mkdtempSync(join(tmpdir(), 'mw-install-'));
  roots.push(root);
  const bin = join(root, 'fake-bin');
  const state = join(root, 'fake-state');
  mkdirSync(bin);
  mkdirSync(state);
  mkdirSync(join(root, 'etc/docker'), { recursive: true });
  writeFileSync(join(bin, 'systemctl'), FAKE_SYSTEMCTL);
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(join(bin, 'systemctl'), 0o755);
  chmodSync(join(bin, 'docker'), 0o755);
  writeFileSync(join(state, 'running'), ''); // dockerd runs before the script
  const config = join(root, 'etc/docker/daemon.json');
  if (existing !== undefined) writeFileSync(config, existing);
  const script = join(root, 'install.sh');
  writeFileSync(script, renderInstallScript({ mirrors, serverUrl: 'https://mirrorwatch.example' }));

  const result = spawnSync('bash', [script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      MIRRORWATCH_ROOT: root,
      FAKE_STATE: state,
      MIRRORWATCH_WAIT_SECONDS: '2',
      ...env,
    },
  });
  const log = existsSync(join(state, 'log')) ? readFileSync(join(state, 'log'), 'utf8').trim().split('\n') : [];
  const backups = readdirSync(join(root, 'etc/docker')).filter((f) => f.endsWith('.bak'));
  return {
    status: result.status,
    stderr: result.stderr,
    config: existsSync(config) ? readFileSync(config, 'utf8') : null,
    backups: backups.map((f) => readFileSync(join(root, 'etc/docker', f), 'utf8')),
    leftovers: readdirSync(join(root, 'etc/docker')).filter((f) => f.startsWith('.daemon.json') || f.endsWith('-restore')),
    restarts: log.filter((l) => l === 'systemctl restart docker').length,
    log,
  };
}

describe.each(['python3', 'jq'])('install script (JSON merged with %s)', (tool) => {
  const env = { MIRRORWATCH_JSON_TOOL: tool };

  it('merges the mirrors, keeps other keys, backs up, restarts and verifies', () => {
    const r = run({ existing: EXISTING, env });
    expect(r.stderr).toContain('done: docker info lists');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.config ?? '')).toEqual({
      'log-driver': 'json-file',
      'registry-mirrors': MIRRORS,
      builder: { gc: { enabled: true } },
    });
    expect(r.backups).toEqual([EXISTING]);
    expect(r.log).toEqual(['systemctl daemon-reload', 'systemctl restart docker', 'docker info --format {{json .RegistryConfig.Mirrors}}']);
    expect(r.leftovers).toEqual([]);
  });

  it('creates daemon.json when there is none, without a backup', () => {
    const r = run({ env });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.config ?? '')).toEqual({ 'registry-mirrors': MIRRORS });
    expect(r.backups).toEqual([]);
  });

  it.each([
    ['a trailing comma', '{"debug": true,}'],
    ['a top-level array', '["https://a.example"]'],
  ])('refuses a daemon.json with %s and leaves it untouched', (_label, existing) => {
    const r = run({ existing, env });
    expect(r.status).toBe(1);
    expect(r.config).toBe(existing);
    expect(r.stderr).toContain('left untouched');
    expect(r.restarts).toBe(0);
    expect(r.backups).toEqual([]);
    expect(r.leftovers).toEqual([]);
  });
});

describe('install script rollback', () => {
  it('restores the backup and restarts when dockerd fails to start with the new file', () => {
    const r = run({ existing: EXISTING, env: { FAKE_FAIL_RESTARTS: '1' } });
    expect(r.status).toBe(1);
    expect(r.config).toBe(EXISTING);
    expect(r.restarts).toBe(2);
    expect(r.stderr).toContain('restored the previous configuration');
    expect(r.leftovers).toEqual([]);
  });

  it('restores when dockerd runs but docker info does not list the mirrors', () => {
    const r = run({ existing: EXISTING, env: { FAKE_DOCKER_MIRRORS: '["https://docker.m.daocloud.io/"]' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('does not list: https://docker.1ms.run');
    expect(r.config).toBe(EXISTING);
    expect(r.restarts).toBe(2);
  });

  it('restores when dockerd never answers within the wait', () => {
    const r = run({ existing: EXISTING, env: { FAKE_NEVER_RUNNING: '1', MIRRORWATCH_WAIT_SECONDS: '1' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('did not answer docker info within 1s');
    expect(r.config).toBe(EXISTING);
  });

  it('removes the new file when there was none before', () => {
    const r = run({ env: { FAKE_FAIL_RESTARTS: '1' } });
    expect(r.status).toBe(1);
    expect(r.config).toBeNull();
    expect(r.restarts).toBe(2);
  });

  it('says so when dockerd does not come back even with the old file', () => {
    const r = run({ existing: EXISTING, env: { FAKE_FAIL_RESTARTS: '2' } });
    expect(r.status).toBe(1);
    expect(r.config).toBe(EXISTING);
    expect(r.stderr).toContain('journalctl -u docker');
  });

  it('refuses to run with no mirror to set', () => {
    const r = run({ existing: EXISTING, mirrors: [] });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no healthy mirror');
    expect(r.config).toBe(EXISTING);
    expect(r.restarts).toBe(0);
  });
});
