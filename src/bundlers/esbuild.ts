// otel-instrument/esbuild: an esbuild plugin for bundled apps. A bundle inlines its dependencies, so
// the module hooks never see express or pg load and nothing gets patched. This plugin keeps the
// packages we instrument out of the bundle: the bundle requires them at run time, from node_modules
// (which the deployment must then ship for those packages), where the hooks patch them as in an
// unbundled app. Packages observed through diagnostics channels (fastify, undici) work inside a bundle
// and are left in it. otel-instrument/webpack does the same for webpack.
//
//   const { otelInstrumentPlugin } = require('otel-instrument/esbuild');
//   esbuild.build({ entryPoints: ['app.js'], bundle: true, platform: 'node', plugins: [otelInstrumentPlugin()] });

import { instrumentedPackagesFilter } from './instrumented-packages.js';

/** The shape of an esbuild plugin, as much of it as this one uses (esbuild is the app's, not ours). */
export interface EsbuildPlugin {
  name: string;
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string }) => { path: string; external: boolean }): void }): void;
}

export interface OtelInstrumentPluginOptions {
  /** More packages to keep out of the bundle (ones the app patches itself, say). */
  readonly external?: readonly string[];
}

export function otelInstrumentPlugin(options: OtelInstrumentPluginOptions = {}): EsbuildPlugin {
  const filter = instrumentedPackagesFilter(options.external);
  return {
    name: 'otel-instrument',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, external: true }));
    },
  };
}
