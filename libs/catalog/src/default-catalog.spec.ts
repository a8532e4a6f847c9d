import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import { loadCatalogFile } from './load-catalog-file.js';

const SHIPPED_CATALOG = fileURLToPath(new URL('../../../config/mirrors.yaml', import.meta.url));

describe('the shipped config/mirrors.yaml', () => {
  it('parses, and every entry is a public https mirror with a provider and a note', async () => {
    const mirrors = await loadCatalogFile(SHIPPED_CATALOG);
    for (const mirror of mirrors) {
      expect(mirror.url, mirror.name).toMatch(/^https:\/\/[a-z0-9.-]+$/);
      expect(mirror.provider, mirror.name).not.toBeNull();
      expect(mirror.notes, mirror.name).not.toBeNull();
      expect(mirror.visibility, mirror.name).toBe('public');
    }
  });

  it.each([
    'docker.m.daocloud.io',
    'docker.1ms.run',
    'docker.1panel.live',
    'dockerproxy.net',
    'docker.xuanyuan.me',
    'hub.rat.dev',
    'docker-0.unsee.tech',
    'mirror.ccs.tencentyun.com',
    'hub-mirror.c.163.com',
    'mirror.baidubce.com',
    'docker.mirrors.ustc.edu.cn',
    'docker.nju.edu.cn',
    'docker.mirrors.sjtug.sjtu.edu.cn',
    'registry.docker-cn.com',
    'mirror.gcr.io',
    'docker.hlmirror.com',
    'docker.imgdb.de',
    'reg-mirror.qiniu.com',
    'dockerhub.azk8s.cn',
    'hub.atomgit.com',
    'dockerpull.org',
  ])('lists %s', async (host) => {
    const mirrors = await loadCatalogFile(SHIPPED_CATALOG);
    expect(mirrors.map((m) => m.url)).toContain(`https://${host}`);
  });

  it.each([
    ['docker.mirrors.ustc.edu.cn', '2024-06-06'],
    ['docker.nju.edu.cn', '2024-06-07'],
    ['registry.docker-cn.com', '2019'],
    ['mirror.baidubce.com', '2024-12'],
  ])('says %s is dead and since when (%s)', async (host, since) => {
    const mirrors = await loadCatalogFile(SHIPPED_CATALOG);
    const notes = mirrors.find((m) => m.url === `https://${host}`)?.notes ?? '';
    expect(notes).toMatch(/dead/i);
    expect(notes).toContain(since);
  });

  it('has at least one mirror of every known upstream, and a path-prefix one for the Kubernetes registries', async () => {
    const mirrors = await loadCatalogFile(SHIPPED_CATALOG);
    for (const host of UPSTREAM_HOSTS)
      expect(
        mirrors.some((m) => m.upstream === host),
        host,
      ).toBe(true);
    const prefixed = mirrors.filter((m) => m.pathPrefix).map((m) => `${m.url}/${m.pathPrefix} ${m.upstream}`);
    expect(prefixed).toEqual(
      expect.arrayContaining(['https://m.daocloud.io/registry.k8s.io registry.k8s.io', 'https://m.daocloud.io/ghcr.io ghcr.io']),
    );
  });
});
