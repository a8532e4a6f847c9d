import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Application } from 'express';
import proxyAddr from 'proxy-addr';
import { EXPORT_FORMATS, type ExportFormat } from '@mirrorwatch/api-types';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { rateLimitKey } from '#infrastructure/rate-limit/client-key.js';
import { isInternalRequest } from '#infrastructure/rate-limit/internal-request.js';
import { bucketKey, tierBound } from '#infrastructure/rate-limit/rate-limit.options.js';
import { TokenBucketStorage } from '#infrastructure/rate-limit/token-bucket-storage.js';
import { RankingService } from '#ranking/ranking.service.js';
import { ExportsService } from './exports.service.js';
import { ExportAudiences } from './export-audience.js';
import { servedExport } from './send-rendered.js';
import { ExportWirePath, type Admission, type WireDocuments } from './export-wire-path.js';

/**
 * The canonical URLs the wire path answers: the path, then nothing or one
 * `count` written the plain way. Every other spelling goes through Nest.
 */
const WIRE_URL = /^\/api\/(?:recommended-daemon\.json|export\/([a-z0-9-]+))(?:\?count=([1-9]\d?))?$/;

/**
 * Puts the export wire path (export-wire-path.ts) in front of Express on
 * the HTTP server itself. At debug level it stays off: every request must
 * then reach pino-http to be logged.
 */
export function mountExportWirePath(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const storage = app.get<unknown>(ThrottlerStorage);
  if (config.logLevel === 'debug' || config.logLevel === 'trace' || !(storage instanceof TokenBucketStorage)) return;
  const expressApp = app.getHttpAdapter().getInstance() as Application;
  const wire = new ExportWirePath(
    wireDocuments(app.get(RankingService), app.get(ExportsService), app.get(ExportAudiences), config),
    exportTierAdmission(storage, config, expressApp.get('trust proxy fn') as ProxyTrust),
  );
  const server = app.getHttpServer() as Server;
  const ordinary = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (wire.handle(req, res)) return;
    for (const listener of ordinary) listener.call(server, req, res);
  });
}

type ProxyTrust = (address: string, hop: number) => boolean;

function wireDocuments(ranking: RankingService, exports: ExportsService, audiences: ExportAudiences, config: AppConfig): WireDocuments {
  // install-sh names this server's origin, which comes from the request unless PUBLIC_URL fixes it;
  // http-proxy-conf is rendered from its query.
  const formats = new Set<ExportFormat>(
    EXPORT_FORMATS.filter((format) => format !== 'http-proxy-conf' && (format !== 'install-sh' || config.publicUrl !== null)),
  );
  return {
    generation: () => ranking.generation(),
    served(url) {
      // With VANTAGE_BY_CIDR every export's list depends on the client's network: only the controllers can choose it.
      // A `?vantage=` URL is not canonical (WIRE_URL), so it reaches them too.
      if (config.vantageByCidr.length > 0) return null;
      const match = WIRE_URL.exec(url);
      if (match === null) return null;
      const [, path, count] = match;
      // recommended-daemon.json is the daemon-json export under its own name (recommended-daemon.controller.ts).
      const format = path ?? 'daemon-json';
      if (!formats.has(format as ExportFormat)) return null;
      try {
        return servedExport(exports, audiences.local(), format, count === undefined ? {} : { count }, config.publicUrl ?? '');
      } catch {
        // A count out of range: Nest answers it with the 400 naming the parameter.
        return null;
      }
    },
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
