import { describe, expect, it } from 'vitest';
import { mirrorApiBase, mirroredRepository, parsePathStyle } from './upstream-registry.js';

describe('where a prefixed mirror serves a repository', () => {
  it.each([
    ['host style', null, undefined, 'https://h.example', 'pause'],
    ['repository-prefix (default)', 'registry.k8s.io', undefined, 'https://h.example', 'registry.k8s.io/pause'],
    ['repository-prefix', 'registry.k8s.io', 'repository-prefix', 'https://h.example', 'registry.k8s.io/pause'],
    ['registry-root', 'registry.k8s.io', 'registry-root', 'https://h.example/registry.k8s.io', 'pause'],
  ] as const)('%s', (_label, prefix, style, base, repository) => {
    expect(mirrorApiBase('https://h.example', prefix, style)).toBe(base);
    expect(mirroredRepository('pause', prefix, style)).toBe(repository);
  });

  it('reads the two styles and refuses others', () => {
    expect(parsePathStyle(' registry-root ')).toEqual({ ok: true, pathStyle: 'registry-root' });
    expect(parsePathStyle('nexus')).toEqual({ ok: false, reason: '"nexus" is not a path style; use repository-prefix or registry-root' });
  });
});
