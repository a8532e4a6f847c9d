export * from './mirrors.js';
export * from './history.js';
export * from './probes.js';
export * from './incidents.js';
export * from './status.js';
export * from './exports.js';
export * from './sparklines.js';
export * from './coverage.js';
