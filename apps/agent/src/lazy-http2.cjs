'use strict';
/**
 * Stands in for node:http2 inside the agent's bundle (apps/agent/bundle.mjs),
 * for undici's HTTP/2 client only. undici reads these protocol constants when
 * it is loaded and calls connect() only for a connection that negotiated h2
 * by ALPN, which the agent never offers (allowH2 is off). Loading the real
 * module up front costs ~2.7 MiB resident (docs/benchmarks/vantage-agents.md);
 * here it is loaded on the first connect(), should HTTP/2 ever be asked for.
 * lazy-http2.spec.ts checks the constants against node:http2's.
 */
const constants = Object.freeze({
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8,
});

module.exports = {
  constants,
  // A require() inside the function is the point: node:http2 loads on the first HTTP/2 connection only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  connect: (...args) => require('node:http2').connect(...args),
};
