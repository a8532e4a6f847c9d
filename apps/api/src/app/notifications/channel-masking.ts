/** What a masked credential reads as in admin responses. */
export const MASK = '***';

/**
 * Query parameters that authenticate a hook: DingTalk `access_token`, WeCom
 * `key`, and the usual names generic webhooks use for tokens and signatures.
 */
const SECRET_QUERY_PARAMETERS = new Set(['access_token', 'key', 'token', 'secret', 'sign', 'signature', 'sig', 'apikey', 'api_key', 'auth', 'code', 'password']);

/**
 * Path-borne hook credentials, as `prefix` + masked tail: Feishu/Lark bot
 * hooks (`/open-apis/bot/v2/hook/<uuid>`), Slack incoming webhooks and
 * workflow triggers (`/services/T…/B…/<secret>`, `/triggers/…`), Discord-style
 * `/api/webhooks/<id>/<token>`. Whoever has the URL can post to the channel.
 */
const SECRET_PATHS: RegExp[] = [/^(\/open-apis\/bot\/v2\/hook\/).+$/, /^(\/services\/).+$/, /^(\/triggers\/).+$/, /^(\/api\/webhooks\/[^/]+\/).+$/];

/**
 * A hook URL fit to show: credentials in the query, the path or the userinfo
 * replaced with `***`. Everything else (host, path, harmless parameters) stays,
 * so an admin can still tell channels apart. A value that is not a URL is
 * masked whole rather than echoed.
 */
export function maskChannelUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  if (url.password) url.password = MASK;
  if (url.username && url.password === '') url.username = MASK;
  for (const pattern of SECRET_PATHS) {
    const match = pattern.exec(url.pathname);
    if (match) {
      url.pathname = `${match[1]}${MASK}`;
      break;
    }
  }
  const masked = new URLSearchParams();
  for (const [name, value] of url.searchParams) masked.append(name, SECRET_QUERY_PARAMETERS.has(name.toLowerCase()) ? MASK : value);
  url.search = masked.toString();
  // URLSearchParams leaves `*` as is, so the mask reads the same in the query.
  return url.toString();
}

/** `***` when a secret is set, null when not: the admin sees whether one exists, never its value. */
export function maskSecret(secret: string | undefined | null): string | null {
  return secret ? MASK : null;
}
