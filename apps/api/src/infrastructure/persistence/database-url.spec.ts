import { describe, expect, it } from 'vitest';
import { DatabaseUrlError, databaseProviderFromUrl, resolveDatabaseUrl, sqliteFilePath } from './database-url.js';

describe('databaseProviderFromUrl', () => {
  it.each([
    ['file:./data/mirrorwatch.db', 'sqlite'],
    ['file:/var/lib/mirrorwatch/db.sqlite', 'sqlite'],
    ['  file:relative.db ', 'sqlite'],
    ['postgres://u:p@db:5432/mirrorwatch', 'postgresql'],
    ['postgresql://127.0.0.1/mirrorwatch?sslmode=disable', 'postgresql'],
    ['POSTGRESQL://host/db', 'postgresql'],
  ])('%s -> %s', (url, provider) => {
    expect(databaseProviderFromUrl(url)).toBe(provider);
  });

  it.each([
    ['', /DATABASE_URL.*empty value/],
    ['file:', /DATABASE_URL "file:" names no SQLite file/],
    ['mysql://root:secret@db/mw', /DATABASE_URL.*"mysql:" URL/],
    ['postgres://', /DATABASE_URL/],
    ['data/mirrorwatch.db', /DATABASE_URL.*no URL scheme/],
  ])('rejects %j naming DATABASE_URL', (url, message) => {
    expect(() => databaseProviderFromUrl(url)).toThrow(DatabaseUrlError);
    expect(() => databaseProviderFromUrl(url)).toThrow(message);
  });

  it('never echoes credentials of a rejected URL', () => {
    expect(() => databaseProviderFromUrl('mysql://root:hunter2@db/mw')).toThrow(/^(?!.*hunter2)/);
  });
});

describe('resolveDatabaseUrl', () => {
  it.each([
    ['file:./data/mirrorwatch.db', 'file:/repo/data/mirrorwatch.db'],
    ['file:data/x.db', 'file:/repo/data/x.db'],
    ['file:/abs/x.db', 'file:/abs/x.db'],
    ['file:../outside.db', 'file:/outside.db'],
    ['postgresql://h/db', 'postgresql://h/db'],
  ])('%s -> %s', (url, expected) => {
    expect(resolveDatabaseUrl(url, '/repo')).toBe(expected);
  });

  it('defaults to data/mirrorwatch.db under the root', () => {
    expect(resolveDatabaseUrl(undefined, '/repo')).toBe('file:/repo/data/mirrorwatch.db');
  });
});

describe('sqliteFilePath', () => {
  it.each([
    ['file:./a.db?connection_limit=1', '/repo/a.db'],
    ['file:///srv/a.db', '/srv/a.db'],
  ])('%s -> %s', (url, expected) => {
    expect(sqliteFilePath(url, '/repo')).toBe(expected);
  });
});
