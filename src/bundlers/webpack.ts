// otel-instrument/webpack: the webpack 5 twin of otel-instrument/esbuild. It keeps the packages we
// instrument out of the bundle as externals, so the bundle requires them at run time from node_modules
// (which the deployment must then ship for those packages), where the module hooks patch them as in an
// unbundled app. An ES module bundle (output.module) loads them through createRequire, which the same
// hooks see.
//
//   const { OtelInstrumentWebpackPlugin } = require('otel-instrument/webpack');
//   module.exports = { target: 'node', entry: './app.js', plugins: [new OtelInstrumentWebpackPlugin()] };

import { instrumentedPackagesFilter } from './instrumented-packages.js';

type ExternalCallback = (error?: Error | null, result?: string) => void;
type ExternalsFunction = (data: { request?: string }, callback: ExternalCallback) => void;

/** The part of webpack's Compiler this plugin uses (webpack is the app's, not ours). */
export interface WebpackCompiler {
  readonly options: { readonly output?: { readonly module?: boolean } };
  readonly webpack: { readonly ExternalsPlugin: new (type: string, externals: ExternalsFunction) => { apply(compiler: WebpackCompiler): void } };
}

export interface OtelInstrumentWebpackPluginOptions {
  /** More packages to keep out of the bundle (ones the app patches itself, say). */
  readonly external?: readonly string[];
}

export class OtelInstrumentWebpackPlugin {
  readonly #filter: RegExp;

  constructor(options: OtelInstrumentWebpackPluginOptions = {}) {
    this.#filter = instrumentedPackagesFilter(options.external);
  }

  apply(compiler: WebpackCompiler): void {
    const filter = this.#filter;
    const type = compiler.options.output?.module === true ? 'node-commonjs' : 'commonjs';
    new compiler.webpack.ExternalsPlugin(type, ({ request }, callback) => {
      if (request !== undefined && filter.test(request)) callback(null, request);
      else callback();
    }).apply(compiler);
  }
}
