import { describe, expect, it } from 'vitest';
import { judgeCoverage, type ImageAnswer } from './coverage.js';

const IMAGES = [
  { image: 'library/nginx:stable', library: true },
  { image: 'grafana/grafana:latest', library: false },
  { image: 'prom/prometheus:latest', library: false },
];
const served = (image: string): ImageAnswer => ({ image, ok: true, failureClass: null, detail: null });
const refused = (image: string): ImageAnswer => ({
  image,
  ok: false,
  failureClass: 'forbidden',
  detail: 'HTTP 403 forbidden: DENIED not in whitelist',
});
const missing = (image: string): ImageAnswer => ({
  image,
  ok: false,
  failureClass: 'not_found',
  detail: 'HTTP 404 not found: MANIFEST_UNKNOWN',
});
const timedOut = (image: string): ImageAnswer => ({ image, ok: false, failureClass: 'timeout', detail: 'no response' });

function judge(answers: Record<string, ImageAnswer[]>, reference: ImageAnswer[] = [], working = Object.keys(answers)) {
  return judgeCoverage({
    images: IMAGES,
    answers: new Map(Object.entries(answers)),
    working: new Set(working),
    reference: new Map(reference.map((answer) => [answer.image, answer])),
  });
}

describe('judgeCoverage', () => {
  it('calls a mirror that refuses every non-library image with 403 library-only', () => {
    const { mirrors, brokenImages } = judge(
      { dao: [served('library/nginx:stable'), refused('grafana/grafana:latest'), refused('prom/prometheus:latest')] },
      [served('grafana/grafana:latest'), served('prom/prometheus:latest')],
    );
    expect(mirrors.get('dao')).toMatchObject({ verdict: 'library_only', judged: 3 });
    expect(brokenImages).toEqual([]);
  });

  it('holds not even a 403 against a mirror for an image nobody can show exists', () => {
    const { mirrors, brokenImages } = judge({
      dao: [served('library/nginx:stable'), refused('grafana/grafana:latest'), refused('prom/prometheus:latest')],
    });
    expect(brokenImages).toEqual(['grafana/grafana:latest', 'prom/prometheus:latest']);
    expect(mirrors.get('dao')).toMatchObject({ verdict: 'all', failing: [], judged: 1 });
  });

  it('holds a 404 against a mirror only when another working mirror serves the image', () => {
    const all = IMAGES.map((i) => served(i.image));
    const { mirrors } = judge({
      full: all,
      partial: [served('library/nginx:stable'), served('grafana/grafana:latest'), missing('prom/prometheus:latest')],
    });
    expect(mirrors.get('full')?.verdict).toBe('all');
    expect(mirrors.get('partial')).toMatchObject({
      verdict: 'partial',
      failing: [{ image: 'prom/prometheus:latest', failureClass: 'not_found' }],
    });
  });

  it('treats an image nobody serves (reference unreachable) as broken and holds no 404 against anyone', () => {
    const answers = [served('library/nginx:stable'), served('grafana/grafana:latest'), missing('prom/prometheus:latest')];
    const { mirrors, brokenImages } = judge({ a: answers, b: answers });
    expect(brokenImages).toEqual(['prom/prometheus:latest']);
    expect(mirrors.get('a')).toMatchObject({ verdict: 'all', failing: [], judged: 2 });
  });

  it('takes the reference registry as proof that an image exists', () => {
    const { mirrors, brokenImages } = judge(
      { a: [served('library/nginx:stable'), served('grafana/grafana:latest'), missing('prom/prometheus:latest')] },
      [served('prom/prometheus:latest')],
    );
    expect(brokenImages).toEqual([]);
    expect(mirrors.get('a')?.verdict).toBe('partial');
  });

  it('does not let a mirror that is not working vouch for an image', () => {
    const { brokenImages } = judge({ down: [served('prom/prometheus:latest')] }, [], []);
    expect(brokenImages).toContain('prom/prometheus:latest');
  });

  it('says unknown when every answer was transient', () => {
    const { mirrors } = judge({ a: IMAGES.map((i) => timedOut(i.image)) });
    expect(mirrors.get('a')).toMatchObject({ verdict: 'unknown', judged: 0, servedShare: null });
  });
});
