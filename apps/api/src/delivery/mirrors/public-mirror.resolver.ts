import { Injectable } from '@nestjs/common';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';

/**
 * The one gate between public endpoints and stored mirrors: only enabled,
 * public mirrors pass. A private mirror (a personal accelerator URL) answers
 * exactly like an unknown id, so its existence does not leak either.
 */
@Injectable()
export class PublicMirrorResolver {
  constructor(private readonly mirrors: MirrorRepository) {}

  async find(id: string): Promise<MirrorDefinition | null> {
    const mirror = await this.mirrors.findById(id);
    return mirror && mirror.enabled && mirror.visibility === 'public' ? mirror : null;
  }

  async listPublic(): Promise<MirrorDefinition[]> {
    return (await this.mirrors.listEnabled()).filter((mirror) => mirror.visibility === 'public');
  }
}
