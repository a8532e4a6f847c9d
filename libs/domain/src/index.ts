export * from './failure-class.js';
export * from './probe-result.js';
export * from './mirror.js';
