import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLAGS } from '../../src/cli/flags.js';
import { helpText, helpWidth, wrap } from '../../src/cli/help-text.js';
import { SETTING_GROUPS } from '../../src/config/setting.js';

describe('--help', () => {
  it('fits the width it is given, however narrow the terminal', () => {
    for (const width of [40, 80, 120]) {
      for (const line of helpText(width).split('\n')) {
        // A single word longer than the width (a long flag) is never broken.
        if (!line.trim().includes(' ')) continue;
        assert.ok(line.length <= width, `${width}: ${line}`);
      }
    }
  });
  it('is 80 columns wide when stdout is not a terminal, else the terminal\'s width', () => {
    assert.equal(helpWidth({ isTTY: false, columns: 200 }), 80);
    assert.equal(helpWidth({}), 80);
    assert.equal(helpWidth({ isTTY: true, columns: 132 }), 132);
    assert.equal(helpWidth({ isTTY: true, columns: 0 }), 80);
  });
  it('lists the settings under their groups, each with its flag, variable, default and allowed values', () => {
    const text = helpText(80);
    const titles = Object.values(SETTING_GROUPS).map((title) => text.indexOf(`\n${title}:\n`));
    assert.ok(titles.every((at) => at !== -1), JSON.stringify(titles));
    assert.deepEqual([...titles].sort((a, b) => a - b), titles);
    for (const setting of FLAGS) assert.ok(text.includes(`--${setting.flag} <value>`), setting.flag);
    const traces = text.slice(text.indexOf('--traces_exporter <value>'));
    assert.match(traces, /^--traces_exporter <value>\n {6}trace exporters \(comma list\)\n {6}OTEL_TRACES_EXPORTER; default: otlp; values: otlp, console, none\n/);
    assert.match(text, /--enabled_instrumentations <value>, --instrumentations <value>/);
  });
});

describe('wrap', () => {
  it('breaks between words and indents every line', () => {
    assert.deepEqual(wrap('aa bb cc dd', 8, '  '), ['  aa bb', '  cc dd']);
    assert.deepEqual(wrap('averyveryverylongword x', 8, ''), ['averyveryverylongword', 'x']);
  });
});
