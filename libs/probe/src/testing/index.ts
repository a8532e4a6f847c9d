// Test support shared with the API's tests; source only (never built or shipped).
export { hostileDestinations, HOSTILE_DNS } from './hostile-destinations.js';
export { testResolver, SOME_PUBLIC_ADDRESS, type TestResolver } from './test-lookup.js';
export { buildFakeImage, type FakeImage } from './fake-image.js';
export { fakeRegistry, fakeTokenServer, json } from './fake-registry.js';
export { startServer, type TestServer } from './test-servers.js';
export { serversClosedAfterSuite } from './harness.js';
