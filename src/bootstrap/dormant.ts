// Package managers and launchers inherit NODE_OPTIONS too. We stay dormant in them, so
// `otel-instrument npm start` traces the app npm starts, not npm itself. The tsx and nodemon
// CLIs start the app in a child process too. Our own launcher is one of them: a user's
// NODE_OPTIONS may already carry our preload.

const LAUNCHER_PATH = /[\\/]node_modules[\\/](?:npm|yarn|pnpm|corepack|nodemon|@yarnpkg[\\/]cli-dist)[\\/]|[\\/]node_modules[\\/]tsx[\\/]dist[\\/]cli\.m?js$/;
const LAUNCHER_NAME = /(?:^|[\\/])(?:npm|npx|npm-cli\.js|npx-cli\.js|yarn|yarnpkg|yarn\.c?js|pnpm|pnpx|pnpm\.c?js|pnpx\.c?js|corepack|corepack\.c?js|tsx|nodemon|otel-instrument)$/;

export function isLauncherProcess(mainScript: string | undefined = process.argv[1]): boolean {
  if (mainScript === undefined) return false;
  return LAUNCHER_PATH.test(mainScript) || LAUNCHER_NAME.test(mainScript);
}

/**
 * The thread Node runs module.register() hooks in also runs NODE_OPTIONS preloads. It serves the
 * loader, not the app: unlike a user's Worker it has no parentPort.
 */
export function isLoaderHooksThread(): boolean {
  const { isMainThread, parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  return !isMainThread && parentPort === null;
}
