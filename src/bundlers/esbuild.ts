// otel-instrument/esbuild: an esbuild plugin for bundled apps. A bundle inlines its dependencies, so
// the module hooks never see express or pg load and nothing gets patched. This plugin keeps the
// packages we instrument out of the bundle: the bundle requires them at run time, from node_modules
// (which the deployment must then ship for those packages), where the hooks patch them as in an
// unbundled app. Packages observed through diagnostics channels (fastify, undici) work inside a bundle
// and are left in it.
//
//   const { otelInstrumentPlugin } = require('otel-instrument/esbuild');
//   esbuild.build({ entryPoints: ['app.js'], bundle: true, platform: 'node', plugins: [otelInstrumentPlugin()] });

import { builtinModules } from 'node:module';
import { INSTRUMENTATIONS } from '../../instrumentations/registry.js';

/** The shape of an esbuild plugin, as much of it as this one uses (esbuild is the app's, not ours). */
export interface EsbuildPlugin {
  name: string;
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => { path: string; external: boolean }): void }): void;
}

export interface OtelInstrumentPluginOptions {
  /** More packages to keep out of the bundle (ones the app patches itself, say). */
  readonly external?: readonly string[];
}

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

export function otelInstrumentPlugin(options: OtelInstrumentPluginOptions = {}): EsbuildPlugin {
  const packages = [...instrumentedPackages(), ...(options.external ?? [])];
  // The package itself and any file in it: 'pg', 'pg/lib/native', 'mysql2/promise'.
  const filter = new RegExp(`^(?:${packages.map(escape).join('|')})(?:/|$)`);
  return {
    name: 'otel-instrument',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, external: true }));
    },
  };
}
