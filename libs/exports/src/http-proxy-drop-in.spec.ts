import { describe, expect, it } from 'vitest';
import { ProxyConfigError } from './export-errors.js';
import { expectGolden } from './testing/golden.fixture.js';
import { renderHttpProxyDropIn, type HttpProxyOptions } from './http-proxy-drop-in.js';

describe('renderHttpProxyDropIn', () => {
  it('renders all three variables (golden)', () => {
    expectGolden(
      'http-proxy.conf',
      renderHttpProxyDropIn({
        httpProxy: 'http://proxy.corp.example:3128',
        httpsProxy: 'http://user:p%40ss@proxy.corp.example:3128/',
        noProxy: 'localhost, 127.0.0.1,.corp.example,10.0.0.0/8,,localhost',
      }),
    );
  });

  it.each<[string, HttpProxyOptions, string[]]>([
    ['http only', { httpProxy: 'http://p.example:3128' }, ['Environment="HTTP_PROXY=http://p.example:3128"']],
    ['socks5', { httpsProxy: 'socks5://127.0.0.1:1080' }, ['Environment="HTTPS_PROXY=socks5://127.0.0.1:1080"']],
    [
      'noProxy as a list',
      { httpProxy: 'http://p.example', noProxy: ['a.example', '*.b.example', '[::1]'] },
      ['Environment="HTTP_PROXY=http://p.example"', 'Environment="NO_PROXY=a.example,*.b.example,[::1]"'],
    ],
    ['percent doubled for systemd', { httpProxy: 'http://u:a%2Fb@p.example' }, ['Environment="HTTP_PROXY=http://u:a%%2Fb@p.example"']],
  ])('%s', (_label, options, environment) => {
    const lines = renderHttpProxyDropIn(options)
      .split('\n')
      .filter((l) => l.startsWith('Environment='));
    expect(lines).toEqual(environment);
  });

  it.each<[string, HttpProxyOptions, string | null, RegExp]>([
    ['nothing set', {}, null, /set httpProxy, httpsProxy or both/],
    ['blank values', { httpProxy: ' ', httpsProxy: '' }, null, /set httpProxy/],
    ['newline injection', { httpProxy: 'http://p.example\nExecStartPre=/bin/sh' }, 'httpProxy', /whitespace/],
    ['quote injection', { httpsProxy: 'http://p.example"' }, 'httpsProxy', /quotes/],
    ['not a URL', { httpProxy: 'proxy:3128' }, 'httpProxy', /scheme "proxy" is not supported/],
    ['no scheme at all', { httpProxy: 'p.example' }, 'httpProxy', /is not a URL/],
    ['ftp scheme', { httpProxy: 'ftp://p.example' }, 'httpProxy', /scheme "ftp"/],
    ['a path', { httpsProxy: 'http://p.example/proxy' }, 'httpsProxy', /no path/],
    ['bad noProxy entry', { httpProxy: 'http://p.example', noProxy: 'a.example,b c' }, 'noProxy', /"b c"/],
    ['noProxy quote', { httpProxy: 'http://p.example', noProxy: 'a"' }, 'noProxy', /"a\\""/],
  ])('rejects %s', (_label, options, field, reason) => {
    try {
      renderHttpProxyDropIn(options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProxyConfigError);
      expect((error as ProxyConfigError).field).toBe(field);
      expect((error as ProxyConfigError).message).toMatch(reason);
    }
  });
});
