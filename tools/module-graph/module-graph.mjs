#!/usr/bin/env node
// Prints which folder of apps/api/src imports which, and any cycle between
// folders, so the dependency rule in docs/architecture.md can be checked by eye.
// Usage: node tools/module-graph/module-graph.mjs [--depth N] [--split a,b] [--check] [root]
// Folders are cut at N path segments below the root (default 1); folders named
// in --split are cut one level deeper (delivery/mirrors, infrastructure/persistence
// are modules of their own); files directly in the root count as "(root)".
// --check prints only the cycles and exits 1 when there is one (npm run lint).
// Only relative and `#`-alias imports are followed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const depthFlag = args.indexOf('--depth');
const depth = depthFlag >= 0 ? Number(args[depthFlag + 1]) : 1;
const splitFlag = args.indexOf('--split');
const split = new Set(splitFlag >= 0 ? args[splitFlag + 1].split(',') : []);
const check = args.includes('--check');
const positional = args.filter((arg, index) => !arg.startsWith('--') && !['--depth', '--split'].includes(args[index - 1]));
const root = resolve(positional[0] ?? 'apps/api/src');
const aliases = readAliases(join(root, '..', 'package.json'));

const isSource = (file) => file.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(file) && !file.split(sep).includes('testing');

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (isSource(path)) yield path;
  }
}

/** `#probing/*` → `<root>/probing/*` from the package's "imports" field (source condition). */
function readAliases(packageJson) {
  try {
    const imports = JSON.parse(readFileSync(packageJson, 'utf8')).imports ?? {};
    return Object.entries(imports).map(([pattern, target]) => {
      const source = typeof target === 'string' ? target : (target['@mirrorwatch/source'] ?? target.default);
      return { prefix: pattern.replace('*', ''), target: resolve(dirname(packageJson), source.replace('*', '')) };
    });
  } catch {
    return [];
  }
}

function folderOf(file) {
  const parts = relative(root, file).split(sep).slice(0, -1);
  if (parts.length === 0) return '(root)';
  return parts.slice(0, split.has(parts[0]) ? depth + 1 : depth).join('/');
}

function resolveImport(fromFile, specifier) {
  if (specifier.startsWith('.')) return resolve(dirname(fromFile), specifier);
  const alias = aliases.find((candidate) => specifier.startsWith(candidate.prefix));
  return alias ? join(alias.target, specifier.slice(alias.prefix.length)) : undefined;
}

const edges = new Map();
const importPattern = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const file of walk(root)) {
  const from = folderOf(file);
  if (!edges.has(from)) edges.set(from, new Set());
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const target = resolveImport(file, match[1] ?? match[2]);
    if (!target || relative(root, target).startsWith('..')) continue;
    const to = folderOf(target);
    if (to !== from) edges.get(from).add(to);
  }
}

for (const [from, targets] of check ? [] : [...edges].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${from} -> ${[...targets].sort().join(', ') || '(nothing)'}`);
}

// Tarjan's strongly connected components: any component of more than one folder is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const cycles = [];
let counter = 0;
function connect(node) {
  index.set(node, counter);
  low.set(node, counter++);
  stack.push(node);
  for (const next of edges.get(node) ?? []) {
    if (!index.has(next)) {
      connect(next);
      low.set(node, Math.min(low.get(node), low.get(next)));
    } else if (stack.includes(next)) low.set(node, Math.min(low.get(node), index.get(next)));
  }
  if (low.get(node) === index.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const node of edges.keys()) if (!index.has(node)) connect(node);
console.log(cycles.length === 0 ? 'cycles: none' : `cycles:\n${cycles.map((cycle) => `  ${cycle.join(' <-> ')}`).join('\n')}`);
if (check && cycles.length > 0) process.exitCode = 1;
