/** Moves a bundled ES module's top-level code into a function that runs once (see flushable-top-level.mjs). */
export declare function flushableTopLevel(source: string): string;
