import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MirrorRepository } from './mirror.repository.js';
import { PersistenceModule } from './persistence.module.js';
import { PrismaService } from './prisma.service.js';
import { ProbeRepository } from './probe.repository.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';

describe('PersistenceModule.forRoot', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mirrorwatch-module-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates a fresh database, provides the repositories globally, and disconnects on close', async () => {
    // A feature module that does not import PersistenceModule: the global export must reach it.
    @Module({})
    class FeatureModule {}
    const databaseUrl = `file:${path.join(dir, 'new', 'mirrorwatch.db')}`;
    @Module({ imports: [PersistenceModule.forRoot({ databaseUrl }), FeatureModule] })
    class TestAppModule {}

    const app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
    const mirrors = app.get(MirrorRepository);
    await mirrors.create({ id: 'm', name: 'M', url: 'https://m.test', provider: null, notes: null, visibility: 'public', caPath: null });
    expect((await mirrors.listEnabled()).map((mirror) => mirror.id)).toEqual(['m']);
    expect(await app.get(ProbeRepository).latestByMirror({ vantageId: LOCAL_VANTAGE_ID })).toEqual(new Map());
    await expect(app.get(PrismaService).ping()).resolves.toBeUndefined();
    await app.close();
  });
});
