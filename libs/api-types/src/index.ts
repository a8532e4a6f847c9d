export * from './mirrors.js';
