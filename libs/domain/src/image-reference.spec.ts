import { describe, expect, it } from 'vitest';
import { parseImageReference } from './image-reference.js';

describe('parseImageReference', () => {
  it.each([
    ['alpine:3.20', 'library/alpine', '3.20'],
    ['alpine', 'library/alpine', 'latest'],
    ['bitnami/postgresql:16', 'bitnami/postgresql', '16'],
    ['library/nginx:stable-alpine', 'library/nginx', 'stable-alpine'],
    ['a/b/c:v1_2', 'a/b/c', 'v1_2'],
  ])('%s -> %s:%s', (text, repository, tag) => {
    expect(parseImageReference(text)).toEqual({ ok: true, reference: { repository, tag } });
  });

  it.each([
    ['', /empty/],
    ['Alpine:3', /not a valid name/],
    ['quay.io/prometheus/prometheus:main', /registry quay.io/],
    ['localhost/x:1', /registry localhost/],
    ['alpine@sha256:abc', /digest/],
    ['alpine:.bad', /tag/],
    ['alpine:' + 'x'.repeat(129), /tag/],
    ['../etc/passwd', /not a valid name/],
    ['a//b', /not a valid name/],
  ])('refuses %j', (text, reason) => {
    const parsed = parseImageReference(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
