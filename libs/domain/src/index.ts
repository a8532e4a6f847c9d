export * from './failure-class.js';
export * from './probe-result.js';
export * from './mirror.js';
export * from './image-reference.js';
export * from './upstream-registry.js';
export * from './compare-code-units.js';
