import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { CATALOG } from '#infrastructure/configuration/app-config.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';

/** Makes the database's catalog mirrors match the catalog file at boot. */
@Injectable()
export class CatalogSyncService implements OnModuleInit {
  private readonly logger = new Logger(CatalogSyncService.name);

  constructor(
    @Inject(CATALOG) private readonly catalog: MirrorDefinition[],
    private readonly mirrors: MirrorRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.mirrors.syncCatalog(this.catalog);
    this.logger.log({ msg: 'catalog synchronised', mirrors: this.catalog.length });
  }
}
