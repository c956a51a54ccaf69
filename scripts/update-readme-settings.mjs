// Rewrites the settings tables of README.md from the settings table (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const { SETTINGS } = require('../dist/src/cli/flags.js');
const { withSettingsMarkdown } = require('../dist/src/config/settings-markdown.js');

const updated = withSettingsMarkdown(readFileSync(README, 'utf8'), SETTINGS);
if (updated === undefined) {
  console.error('README.md has no settings markers');
  process.exit(1);
}
writeFileSync(README, updated);
