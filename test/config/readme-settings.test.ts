// The README's settings tables are rendered from the settings table; this fails when they drift apart
// (run `npm run docs:settings` to bring the README up to date).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SETTINGS } from '../../src/cli/flags.js';
import { README_END, README_START, settingsMarkdown, withSettingsMarkdown } from '../../src/config/settings-markdown.js';
import { INSTRUMENTATIONS } from '../../instrumentations/registry.js';

const README = join(__dirname, '..', '..', '..', 'README.md');

describe('the README settings tables', () => {
  it('are what the settings table renders (npm run docs:settings updates them)', () => {
    const readme = readFileSync(README, 'utf8');
    assert.ok(readme.includes(README_START) && readme.includes(README_END), 'README.md lacks the settings markers');
    assert.equal(withSettingsMarkdown(readme, SETTINGS), readme, 'README.md is out of date: run npm run docs:settings');
  });
  it('list every setting that has a flag of its own, with its flag, variable and default', () => {
    const markdown = settingsMarkdown(SETTINGS);
    for (const setting of SETTINGS.all) {
      if (setting.signal !== undefined) continue;
      assert.ok(markdown.includes(`| \`--${setting.flag}\``), setting.flag);
      assert.ok(markdown.includes(`\`${setting.env}\``), setting.env);
    }
  });
  it('name every instrumentation of the registry for --enabled_instrumentations / --disabled_instrumentations', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf('Instrumentation names for `--enabled_instrumentations`');
    assert.ok(start >= 0, 'README.md lacks the paragraph of instrumentation names');
    const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
    for (const entry of INSTRUMENTATIONS) assert.ok(paragraph.includes(`\`${entry.name}\``), `${entry.name} is missing from the README's instrumentation names`);
  });
});
