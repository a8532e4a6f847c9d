import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseScopes, signRegistryToken } from './jwt.js';

describe('signRegistryToken', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = signRegistryToken(
    {
      issuer: 'iss',
      audience: 'svc',
      subject: '',
      access: [{ type: 'repository', name: 'library/alpine', actions: ['pull'] }],
      issuedAt: 1_000,
      expiresInSeconds: 300,
    },
    privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    'CERTDER',
  );
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decode = (part: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

  it('carries the certificate in x5c and declares RS256', () => {
    expect(decode(header)).toMatchObject({ alg: 'RS256', typ: 'JWT', x5c: ['CERTDER'] });
  });

  it('sets the claims distribution checks', () => {
    expect(decode(payload)).toMatchObject({
      iss: 'iss',
      aud: 'svc',
      iat: 1_000,
      nbf: 990,
      exp: 1_300,
      access: [{ type: 'repository', name: 'library/alpine', actions: ['pull'] }],
    });
  });

  it('is signed with the private key over header.payload', () => {
    const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(valid).toBe(true);
  });
});

describe('parseScopes', () => {
  it.each([
    { scopes: ['repository:library/alpine:pull'], expected: [{ type: 'repository', name: 'library/alpine', actions: ['pull'] }] },
    { scopes: ['repository:a/b:pull,push'], expected: [{ type: 'repository', name: 'a/b', actions: ['pull', 'push'] }] },
    {
      scopes: ['repository:x:pull repository:y:pull'],
      expected: [
        { type: 'repository', name: 'x', actions: ['pull'] },
        { type: 'repository', name: 'y', actions: ['pull'] },
      ],
    },
    { scopes: ['registry:catalog:*'], expected: [{ type: 'registry', name: 'catalog', actions: ['*'] }] },
    { scopes: ['garbage', ''], expected: [] },
  ])('parses $scopes', ({ scopes, expected }) => {
    expect(parseScopes(scopes)).toEqual(expected);
  });
});
