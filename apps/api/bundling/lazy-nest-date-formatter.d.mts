import type { Plugin } from 'esbuild';

/** Builds the date formatters of Nest's logger modules on first use (see lazy-nest-date-formatter.mjs). */
export declare const lazyNestDateFormatter: Plugin;
