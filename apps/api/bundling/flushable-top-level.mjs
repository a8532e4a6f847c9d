/**
 * Moves a bundled ES module's top-level code into a function that runs once.
 *
 * Why: V8 compiles a module's top level as a resumable function (modules are
 * generators inside V8) and keeps its bytecode for the life of the process:
 * it never flushes the bytecode of a resumable function. In apps/api/dist/main.js
 * that top level is every scope-hoisted module's initialisation (Nest's and
 * ours: class definitions, decorators, constants), 0.65 MiB of bytecode and
 * constants that run once at start-up (a heap snapshot of the running API,
 * issue 10). In an ordinary function that has returned, V8's bytecode flushing
 * drops it after a few collections, as it does for any code not run lately.
 *
 * How: import declarations are hoisted by the language (they bind before any
 * code runs, wherever they stand), so moving them to the front changes
 * nothing; the rest becomes the body of an arrow function called at once. An
 * arrow keeps `this` undefined as at a module's top level, and it is strict as
 * all module code is. What cannot move is refused: an export (an entry point
 * has none) and a top-level `await` (the result is parsed again, and `await`
 * inside a plain function does not parse).
 */
import { parse } from 'acorn';

const PARSE_OPTIONS = /** @type {const} */ ({ ecmaVersion: 'latest', sourceType: 'module' });

/** @param {string} source an ES module's text @returns {string} the same module with its top level in a function */
export function flushableTopLevel(source) {
  const program = parse(source, PARSE_OPTIONS);
  const imports = [];
  const body = [];
  let cursor = 0;
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      body.push(source.slice(cursor, statement.start));
      imports.push(source.slice(statement.start, statement.end));
      cursor = statement.end;
    } else if (statement.type.startsWith('Export')) {
      throw new Error(
        `flushableTopLevel: the module exports (${statement.type} at ${statement.start}); only an entry point can be wrapped`,
      );
    }
  }
  body.push(source.slice(cursor));
  const wrapped = `${imports.join('\n')}\n(() => {\n${body.join('')}\n})();\n`;
  try {
    parse(wrapped, PARSE_OPTIONS);
  } catch (error) {
    throw new Error(
      `flushableTopLevel: the wrapped module does not parse (a top-level await?): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return wrapped;
}
