// Rewrites the settings tables of README.md from the settings table: `npm run docs:settings`.
// test/config/readme-settings.test.ts fails when the README is out of date.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../src/cli/flags.js';
import { withSettingsMarkdown } from '../../src/config/settings-markdown.js';
import { ROOT } from './run-cli.js';

const README = join(ROOT, 'README.md');
const updated = withSettingsMarkdown(readFileSync(README, 'utf8'), SETTINGS);
if (updated === undefined) {
  console.error('README.md has no settings markers');
  process.exit(1);
}
writeFileSync(README, updated);
