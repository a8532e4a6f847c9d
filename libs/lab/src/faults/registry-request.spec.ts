import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { classifyRegistryRequest } from './registry-request.js';

describe('classifyRegistryRequest', () => {
  it.each([
    { url: '/v2/', kind: 'ping', repository: null, reference: null },
    { url: '/v2', kind: 'ping', repository: null, reference: null },
    { url: '/v2/library/alpine/manifests/latest', kind: 'manifest', repository: 'library/alpine', reference: 'latest' },
    { url: '/v2/a/b/c/manifests/sha256:abc', kind: 'manifest', repository: 'a/b/c', reference: 'sha256:abc' },
    { url: '/v2/library/alpine/blobs/sha256:0123abcd', kind: 'blob', repository: 'library/alpine', reference: 'sha256:0123abcd' },
    { url: '/v2/library/alpine/blobs/uploads/', kind: 'other', repository: null, reference: null },
    { url: '/v2/_catalog', kind: 'other', repository: null, reference: null },
  ])('$url is $kind', ({ url, kind, repository, reference }) => {
    const request = classifyRegistryRequest({ url } as IncomingMessage, {} as ServerResponse);
    expect(request).toMatchObject({ kind, repository, reference });
  });
});
