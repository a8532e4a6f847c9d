import type { MirrorDefinition } from '@mirrorwatch/domain';
import { foreignMirrorChangesOf, type PrismaClient } from './prisma-client.factory.js';

/**
 * The enabled mirrors, read once and kept until they change. The probe cycle
 * and the ranking rebuild both ask for them every cycle, and each read was a
 * pass of Prisma's query compiler and its result mapping for a list that
 * only an admin edit or a catalog sync changes (issue 10).
 *
 * One per Prisma client, shared by every MirrorRepository on it, so a write
 * through any of them drops it. A kept list is served only while
 * - no write through a MirrorRepository on this client started since it was
 *   read (a list read while a write was in flight is not kept: it may miss it);
 * - where other processes may write the table (PostgreSQL replicas: an admin
 *   edit on another replica), the table's version token, read before the
 *   list and again before serving it, is unchanged (foreignMirrorChangesOf).
 */
export class MirrorListCache {
  private kept: { mirrors: readonly MirrorDefinition[]; version: string | null } | null = null;
  private writesStarted = 0;
  private writesEnded = 0;

  constructor(private readonly foreignVersion: (() => Promise<string>) | null) {}

  async enabled(read: () => Promise<MirrorDefinition[]>): Promise<MirrorDefinition[]> {
    // Before the rows: a change committed between the two reads gives the next check another token, so it is re-read.
    const version = this.foreignVersion === null ? null : await this.foreignVersion();
    const kept = this.kept;
    if (kept !== null && kept.version === version && this.writesStarted === this.writesEnded) return copies(kept.mirrors);
    const writes = this.writesStarted;
    const quiet = writes === this.writesEnded;
    const mirrors = await read();
    this.kept = quiet && writes === this.writesStarted ? { mirrors: copies(mirrors), version } : null;
    return mirrors;
  }

  /** Runs a write of the Mirror table: the kept list is dropped, and no list read meanwhile is kept. */
  async writing<T>(write: () => Promise<T>): Promise<T> {
    this.writesStarted += 1;
    this.kept = null;
    try {
      return await write();
    } finally {
      this.writesEnded += 1;
    }
  }

  /** For a write that bypassed the repositories (a test's reset of every table). */
  forget(): void {
    this.kept = null;
  }
}

const caches = new WeakMap<PrismaClient, MirrorListCache>();

/** The one cache of `client`'s mirrors. */
export function mirrorListCacheOf(client: PrismaClient): MirrorListCache {
  let cache = caches.get(client);
  if (cache === undefined) {
    cache = new MirrorListCache(foreignMirrorChangesOf(client));
    caches.set(client, cache);
  }
  return cache;
}

/** Callers get their own objects: one that edited a definition it was handed must not change the kept list. */
function copies(mirrors: readonly MirrorDefinition[]): MirrorDefinition[] {
  return mirrors.map((mirror) => ({ ...mirror }));
}
