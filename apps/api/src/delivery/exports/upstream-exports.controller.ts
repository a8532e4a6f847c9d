import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';
import { requestOrigin } from './request-origin.js';
import { exportMaxAge } from './send-rendered.js';
import { sendServed } from './served-document.js';
import { servedUpstreamExport } from './served-upstream-export.js';
import { ExportAudiences, VANTAGE_QUERY } from './export-audience.js';
import { UpstreamExportsService, type UpstreamExportFormat } from './upstream-exports.service.js';

/** The parameters the per-upstream exports read (only hosts.toml reads `registry`). */
interface UpstreamExportQuery {
  registry?: unknown;
  count?: unknown;
  vantage?: unknown;
}

const COUNT_QUERY = {
  name: 'count',
  required: false,
  description: `mirrors per upstream (${RECOMMENDED_COUNT_MIN}-${RECOMMENDED_COUNT_MAX}); default: each upstream's recommended length`,
  type: Number,
};

/**
 * Mirrors of every upstream registry (registry.k8s.io, ghcr.io, quay.io, ...)
 * for the clients that take them per upstream: containerd, CRI-O/Podman and
 * k3s. dockerd mirrors Docker Hub alone: recommended-daemon.json stays Docker
 * Hub's. Public, cached and ETagged like the other exports, per vantage
 * like them (ExportAudiences).
 */
@ApiTags('exports')
@Controller()
export class UpstreamExportsController {
  constructor(
    private readonly exports: UpstreamExportsService,
    private readonly audiences: ExportAudiences,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('recommended-hosts.toml')
  @RateLimit('export')
  @ApiOperation({
    summary: "containerd certs.d/<registry>/hosts.toml with that registry's recommended mirrors (path-prefix ones with override_path)",
  })
  @ApiQuery({ name: 'registry', required: false, enum: UPSTREAM_HOSTS, description: 'the upstream registry; default docker.io' })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiOkResponse({ description: 'hosts.toml, as text' })
  @ApiBadRequestResponse({ description: '`registry`, `count` or `vantage` is invalid; `field` names it' })
  hostsToml(@Query() query: UpstreamExportQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('hosts-toml', query, req, res);
  }

  @Get('recommended-registries.conf')
  @RateLimit('export')
  @ApiOperation({ summary: 'Podman/CRI-O registries.conf drop-in: one [[registry]] per upstream with recommended mirrors' })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiOkResponse({ description: 'registries.conf, as text' })
  @ApiBadRequestResponse({ description: '`count` or `vantage` is invalid; `field` names it' })
  registriesConf(@Query() query: UpstreamExportQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('registries-conf', { count: query.count, vantage: query.vantage }, req, res);
  }

  @Get('recommended-registries.yaml')
  @RateLimit('export')
  @ApiOperation({ summary: "k3s/RKE2 registries.yaml: every upstream's recommended mirrors, with a rewrite for path-prefix mirrors" })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiOkResponse({ description: 'registries.yaml, as text' })
  @ApiBadRequestResponse({ description: '`count` or `vantage` is invalid; `field` names it' })
  registriesYaml(@Query() query: UpstreamExportQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('registries-yaml', { count: query.count, vantage: query.vantage }, req, res);
  }

  @Get('install-containerd.sh')
  @RateLimit('export')
  @ApiOperation({
    summary:
      'Install script for containerd: writes certs.d/<registry>/hosts.toml per upstream, sets config_path if missing, restarts and verifies',
  })
  @ApiQuery(COUNT_QUERY)
  @ApiQuery(VANTAGE_QUERY)
  @ApiOkResponse({ description: 'A bash script' })
  @ApiBadRequestResponse({ description: '`count` or `vantage` is invalid; `field` names it' })
  installContainerd(@Query() query: UpstreamExportQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send('install-containerd-sh', { count: query.count, vantage: query.vantage }, req, res);
  }

  private async send(format: UpstreamExportFormat, query: UpstreamExportQuery, req: Request, res: Response): Promise<void> {
    const registry = this.exports.parseRegistry(query.registry);
    const count = this.exports.parseCount(query.count);
    const audience = await this.audiences.of(req, query.vantage);
    const serverUrl = this.config.publicUrl ?? requestOrigin(req);
    const maxAgeSeconds = exportMaxAge(this.config.probeIntervalSeconds);
    sendServed(req, res, servedUpstreamExport(this.exports, audience, { format, registry, count, serverUrl, maxAgeSeconds }));
  }
}
