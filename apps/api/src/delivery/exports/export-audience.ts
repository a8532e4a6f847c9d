import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import type { RecommendationSource } from '#ranking/recommendation-source.js';
import { RankingService } from '#ranking/ranking.service.js';
import { VantageViewsService } from '../vantages/vantage-views.service.js';

/** Whose list an export request gets, and whether a shared cache may keep it. */
export interface ExportAudience {
  source: RecommendationSource;
  visibility: 'public' | 'private';
}

/** The `vantage` parameter as every public export documents it in OpenAPI. */
export const VANTAGE_QUERY = {
  name: 'vantage',
  required: false,
  type: String,
  description:
    "a vantage id (GET /api/vantages): the list ranked from that network's agents; default local, or the VANTAGE_BY_CIDR match of the client address",
};

/**
 * The one place every export (daemon.json, /api/export/*, hosts.toml,
 * registries.conf/.yaml, the install scripts) decides whose measurements it
 * serves: `?vantage=ID` (400 naming `vantage` when unknown or revoked), else
 * the VANTAGE_BY_CIDR match of the client address, else the local vantage.
 * A list chosen by address is `Cache-Control: private`: a shared cache must
 * not hand one network's list to another.
 */
@Injectable()
export class ExportAudiences {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ranking: RankingService,
    private readonly views: VantageViewsService,
  ) {}

  /** The admin's own hosts: public and private mirrors from the local vantage, never in a shared cache. */
  admin(): ExportAudience {
    return { source: this.ranking.source('admin'), visibility: 'private' };
  }

  /** The local vantage's public list, as served when no vantage is asked for and none is mapped by address. */
  local(): ExportAudience {
    return { source: this.ranking.source('public'), visibility: 'public' };
  }

  async of(req: Request, vantageParam: unknown): Promise<ExportAudience> {
    const byAddress = this.byAddress(vantageParam);
    if (vantageParam === undefined && !byAddress) return this.local();
    const vantage = await this.views.resolve(vantageParam, req.ip);
    const source = vantage === LOCAL_VANTAGE_ID ? this.ranking.source('public') : await this.views.source(vantage);
    return { source, visibility: byAddress ? 'private' : 'public' };
  }

  /**
   * `of` for the export wire path, which must not wait: the same audience when
   * everything it rests on is in memory and current (the live vantages, the
   * vantage's view), else null and the request takes the ordinary route.
   */
  ofNow(clientAddress: string | undefined, vantageParam: string | undefined): ExportAudience | null {
    const byAddress = this.byAddress(vantageParam);
    if (vantageParam === undefined && !byAddress) return this.local();
    const vantage = this.views.resolveNow(vantageParam, clientAddress);
    const source = vantage === null ? null : this.views.sourceNow(vantage);
    return source === null ? null : { source, visibility: byAddress ? 'private' : 'public' };
  }

  /** A list chosen by the client's address (no `vantage` asked for, VANTAGE_BY_CIDR set). */
  private byAddress(vantageParam: unknown): boolean {
    return vantageParam === undefined && this.config.vantageByCidr.length > 0;
  }
}
