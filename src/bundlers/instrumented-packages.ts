// What the bundler plugins keep out of a bundle: every package an instrumentation hooks by module name,
// so that it loads from node_modules at run time, where the module hooks see it and patch it.

import { builtinModules } from 'node:module';
import { INSTRUMENTATIONS } from '../../instrumentations/registry.js';

/** The package a module name belongs to: `pg` for 'pg/lib/client.js', `@redis/client` for its files. */
function packageOf(module: string): string {
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every package an instrumentation hooks by module name, builtins left out. */
export function instrumentedPackages(): string[] {
  const builtins = new Set(builtinModules);
  const packages = new Set<string>();
  for (const entry of INSTRUMENTATIONS) {
    for (const module of entry.modules) {
      const name = packageOf(module);
      if (!name.startsWith('node:') && !builtins.has(name)) packages.add(name);
    }
  }
  return [...packages].sort();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches an import of those packages (and of `extra` ones): the package itself or any file in it ('pg', 'mysql2/promise'). */
export function instrumentedPackagesFilter(extra: readonly string[] = []): RegExp {
  const packages = [...instrumentedPackages(), ...extra];
  return new RegExp(`^(?:${packages.map(escape).join('|')})(?:/|$)`);
}
