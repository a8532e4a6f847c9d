import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Application } from 'express';
import proxyAddr from 'proxy-addr';
import { EXPORT_FORMATS } from '@mirrorwatch/api-types';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { rateLimitKey } from '#infrastructure/rate-limit/client-key.js';
import { isInternalRequest } from '#infrastructure/rate-limit/internal-request.js';
import { bucketKey, tierBound } from '#infrastructure/rate-limit/rate-limit.options.js';
import { TokenBucketStorage } from '#infrastructure/rate-limit/token-bucket-storage.js';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';
import { ExportsService } from './exports.service.js';
import { ExportAudiences, type ExportAudience } from './export-audience.js';
import { exportMaxAge, servedExport } from './send-rendered.js';
import { servedUpstreamExport } from './served-upstream-export.js';
import type { ServedDocument } from './served-document.js';
import { UpstreamExportsService, type UpstreamExportFormat } from './upstream-exports.service.js';
import { ExportWirePath, type Admission, type WireDocuments } from './export-wire-path.js';
import { plainExportUrl } from './export-wire-url.js';

type ProxyTrust = (address: string, hop: number) => boolean;

/** One route the wire path answers: the parameters it reads, and its document for an audience and those parameters. */
interface WireRoute {
  params: readonly string[];
  /** Throws for a parameter out of range (the route's 400): the request then goes through Nest. */
  serve(audience: ExportAudience, params: Readonly<Record<string, string>>): ServedDocument;
}

/**
 * Puts the export wire path (export-wire-path.ts) in front of Express on
 * the HTTP server itself. At debug level it stays off: every request must
 * then reach pino-http to be logged.
 */
export function mountExportWirePath(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const storage = app.get<unknown>(ThrottlerStorage);
  if (config.logLevel === 'debug' || config.logLevel === 'trace' || !(storage instanceof TokenBucketStorage)) return;
  const trust = (app.getHttpAdapter().getInstance() as Application).get('trust proxy fn') as ProxyTrust;
  const routes = wireRoutes(app.get(ExportsService), app.get(UpstreamExportsService), config);
  const metrics = app.get(MetricsService);
  const wire = new ExportWirePath(
    wireDocuments(routes, app.get(ExportAudiences), config, trust),
    exportTierAdmission(storage, config, trust),
    (status) => metrics.observeWireResponse(status),
  );
  const server = app.getHttpServer() as Server;
  const ordinary = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (handledOnWire(wire, req, res)) return;
    for (const listener of ordinary) listener.call(server, req, res);
  });
}

/** A bug on the wire path must cost the request its shortcut, never the process (a throw in a 'request' listener is uncaught). */
function handledOnWire(wire: ExportWirePath, req: IncomingMessage, res: ServerResponse): boolean {
  try {
    return wire.handle(req, res);
  } catch {
    return res.headersSent;
  }
}

/**
 * Every public GET export and the parameters each reads, as the controllers
 * declare them (recommended-daemon.controller.ts, exports.controller.ts,
 * upstream-exports.controller.ts). Left out: http-proxy-conf (rendered from
 * its query) and, without PUBLIC_URL, the install scripts (they name the
 * origin the request came in by).
 */
function wireRoutes(exports: ExportsService, upstream: UpstreamExportsService, config: AppConfig): Map<string, WireRoute> {
  const routes = new Map<string, WireRoute>();
  const origin = config.publicUrl ?? '';
  const maxAgeSeconds = exportMaxAge(config.probeIntervalSeconds);
  const recommendation = (format: string): WireRoute => ({
    params: ['count', 'vantage'],
    serve: (audience, params) => servedExport(exports, audience, format, { count: params.count }, origin),
  });
  const perUpstream = (format: UpstreamExportFormat, params: readonly string[]): WireRoute => ({
    params,
    serve: (audience, query) =>
      servedUpstreamExport(upstream, audience, {
        format,
        registry: upstream.parseRegistry(query.registry),
        count: upstream.parseCount(query.count),
        serverUrl: origin,
        maxAgeSeconds,
      }),
  });
  // recommended-daemon.json is the daemon-json export under its own name.
  routes.set('/api/recommended-daemon.json', recommendation('daemon-json'));
  for (const format of EXPORT_FORMATS) {
    if (format === 'http-proxy-conf' || (format === 'install-sh' && config.publicUrl === null)) continue;
    routes.set(`/api/export/${format}`, recommendation(format));
  }
  routes.set('/api/recommended-hosts.toml', perUpstream('hosts-toml', ['registry', 'count', 'vantage']));
  routes.set('/api/recommended-registries.conf', perUpstream('registries-conf', ['count', 'vantage']));
  routes.set('/api/recommended-registries.yaml', perUpstream('registries-yaml', ['count', 'vantage']));
  if (config.publicUrl !== null) {
    routes.set('/api/install.sh', recommendation('install-sh'));
    routes.set('/api/install-containerd.sh', perUpstream('install-containerd-sh', ['count', 'vantage']));
  }
  return routes;
}

function wireDocuments(routes: Map<string, WireRoute>, audiences: ExportAudiences, config: AppConfig, trust: ProxyTrust): WireDocuments {
  const byAddress = config.vantageByCidr.length > 0;
  return (req) => {
    const url = plainExportUrl(req.url ?? '', (path) => routes.get(path)?.params);
    if (url === null) return null;
    const route = routes.get(url.path) as WireRoute;
    // The client address as Express computes req.ip (TRUST_PROXY), read only when VANTAGE_BY_CIDR needs it.
    const audience = audiences.ofNow(byAddress ? proxyAddr(req, trust) : undefined, url.params.vantage);
    if (audience === null) return null;
    return {
      // Everything the bytes depend on besides the source's version: whose list, its cache policy, the URL.
      key: `${audience.source.cacheKey}|${audience.visibility}|${req.url}`,
      version: audience.source,
      served() {
        try {
          return route.serve(audience, url.params);
        } catch {
          // A parameter out of range or unknown: Nest answers it with the 400 naming the parameter.
          return null;
        }
      },
    };
  };
}

/** The export tier's bucket per client, the very one the rate-limit guard takes from (same storage, same key). */
function exportTierAdmission(storage: TokenBucketStorage, config: AppConfig, trust: ProxyTrust): Admission {
  const bound = tierBound(config, 'export');
  if (bound === null) return () => true;
  return (req) => {
    if (isInternalRequest(req)) return true;
    // req.ip as Express computes it (TRUST_PROXY decides which X-Forwarded-For hops count).
    const tracker = rateLimitKey(proxyAddr(req, trust));
    return !storage.take(bucketKey('export', tracker), bound.ttlMs, bound.limit).isBlocked;
  };
}
