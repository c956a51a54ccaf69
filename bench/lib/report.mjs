// Markdown tables for the console and bench/results/latest.md, plus the "Earlier runs" notes
// carried over from the previous latest.md (one line per run, newest first).
import { median } from './stats.mjs';

const fix = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const signed = (value, digits) => `${value >= 0 ? '+' : ''}${fix(value, digits)}`;
const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

/**
 * One table for one app; rounds[name] lists { rps, p99Ms, rssMb, groupUssMb, appCpu }, exported[name] holds the sink's
 * counts and the requests served. Spans per request below the app's span count means dropped spans.
 */
export function loadTable(names, rounds, exported) {
  const med = Object.fromEntries(
    names.map((name) => [name, {
      rps: median(rounds[name].map((r) => r.rps)),
      p99: median(rounds[name].map((r) => r.p99Ms)),
      rss: median(rounds[name].map((r) => r.rssMb)),
      uss: median(rounds[name].map((r) => r.groupUssMb)),
      cpu: median(rounds[name].map((r) => r.appCpu)),
    }]),
  );
  const base = med.baseline;
  // A run without the official config (--configs) shows n/a in that column.
  const official = med.official ?? { rps: NaN };
  const lines = [
    row(['config', 'req/s', 'req/s vs baseline', 'req/s vs official', 'p99 ms', 'p99 vs baseline', 'RSS MB', 'RSS delta MB', 'group USS MB', 'group USS delta MB', 'app CPU', 'spans per request', 'exported spans / metrics / logs']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const name of names) {
    const m = med[name];
    const e = exported[name];
    lines.push(row([
      name,
      fix(m.rps, 0),
      ratio(m.rps, base.rps),
      ratio(m.rps, official.rps),
      fix(m.p99, 2),
      ratio(m.p99, base.p99),
      fix(m.rss, 1),
      signed(m.rss - base.rss, 1),
      fix(m.uss, 1),
      signed(m.uss - base.uss, 1),
      `${fix(m.cpu * 100, 0)}%`,
      fix(e.traces.items / e.served, 2),
      `${e.traces.items} / ${e.metrics.items} / ${e.logs.items}`,
    ]));
  }
  return lines.join('\n');
}

/**
 * Each request of a fixture app makes a fixed number of spans under a given config, so a spans-per-request
 * figure well off a whole number means spans were dropped (or made irregularly). Configs differ by design:
 * otel-instrument makes no span per express middleware by default, the official SDK does.
 */
export function dropNotes(names, exported) {
  const notes = [];
  for (const name of names) {
    if (name === 'baseline' || exported[name].traces.items === 0) continue;
    const perRequest = exported[name].traces.items / exported[name].served;
    const fraction = perRequest - Math.floor(perRequest);
    if (fraction > 0.05 && fraction < 0.95) {
      notes.push(`Note: ${name} exported ${fix(perRequest, 2)} spans per request, not a whole number: some requests' spans were dropped or made irregularly.`);
    }
  }
  if (names.includes('before')) {
    notes.push('before: the otel-instrument checkout given with --before, in the same interleaved rounds, for a before/after comparison.');
  }
  if (names.includes('collector down')) {
    notes.push('collector down: otel-instrument with OTEL_EXPORTER_OTLP_ENDPOINT at a local port nothing listens on, so it exports nothing by design; its req/s, p99, RSS and CPU are what an outage costs.');
  }
  notes.push(
    'Spans per request differ by design: otel-instrument makes no span per express middleware or fastify hook by default (`OTEL_NODE_EXPRESS_IGNORE_LAYER_TYPES=none`, `OTEL_NODE_FASTIFY_HOOK_SPANS=true` add them); the official SDK makes one per middleware, and @fastify/otel one per hook plus a request span beside the http one.',
  );
  return notes;
}

/**
 * How to read the memory columns: whether the node binary's pages are shared with the bench process (which
 * hosts the sink), and the summed RSS of each group beside its USS, to show what summing RSS double-counts.
 */
export function memoryNote(rounds) {
  const all = Object.values(rounds).flat();
  const base = median(rounds.baseline.map((r) => r.groupRssMb));
  const summed = Object.entries(rounds)
    .filter(([name]) => name !== 'baseline')
    .map(([name, list]) => `${name} ${signed(median(list.map((r) => r.groupRssMb)) - base, 1)} MB`);
  const sharing = all.every((r) => r.sharesBinary)
    ? "The bench process, which hosts the sink, runs the apps' node binary, so the pages of it that an app uses are shared and USS leaves them out for every config alike"
    : "The bench process, which hosts the sink, does not always run the apps' node binary: USS then counts the binary's pages in baseline and official, but not those a launcher shares with its app, so compare USS only when it does";
  return (
    'Memory: group USS is the private memory (pages no other process maps) of the app plus, for otel-instrument, its launcher, ' +
    `after load. ${sharing}; RSS counts them in every process, so RSS summed over a launcher and its app counts them twice. ` +
    `Summed group RSS over baseline, for comparison: ${summed.join(', ')}.`
  );
}

export function startupTable(names, ms, runs) {
  const lines = [
    row(['config', `start-to-exit ms (median of ${runs})`, 'delta ms', 'vs baseline', 'vs official']),
    row(['---', '---:', '---:', '---:', '---:']),
  ];
  for (const name of names) {
    lines.push(row([name, fix(ms[name], 0), signed(ms[name] - ms.baseline, 0), ratio(ms[name], ms.baseline), ratio(ms[name], ms.official)]));
  }
  return lines.join('\n');
}

function cellsOf(line) {
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

/** One line summing up a latest.md (old or current layout): the instrumented rows of each table. */
function summarize(markdown) {
  const title = /^# Benchmark \(([^,)]+)[,)]/m.exec(markdown)?.[1] ?? 'unknown date';
  const parts = [];
  let heading = '';
  let header;
  let startup = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) heading = line.slice(3).split(/: | \(/)[0].trim();
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = cellsOf(line);
    if (header === undefined) {
      header = cells;
      continue;
    }
    if (cells[0].startsWith('---') || cells[0] === 'baseline') continue;
    const at = (re) => cells[header.findIndex((h) => re.test(h))];
    const start = at(/start/);
    if (start !== undefined && at(/^req\/s/) === undefined) {
      startup.push(`${cells[0]} ${start} ms`);
      continue;
    }
    const bits = [`${at(/^req\/s( \(median\))?$/)} req/s = ${at(/^(ratio|req\/s vs baseline)$/)}`.replace(/x?$/, 'x')];
    if (at(/p99 (ratio|vs baseline)/)) bits.push(`p99 ${at(/p99 (ratio|vs baseline)/)}`);
    if (at(/RSS delta/)) bits.push(`RSS ${at(/RSS delta/).replace(/^(?=\d)/, '+')} MB`);
    if (at(/USS delta/)) bits.push(`USS ${at(/USS delta/)} MB`);
    if (start !== undefined) bits.push(`startup ${start} ms`);
    parts.push(`${heading || 'http hello'} ${cells[0]}: ${bits.join(', ')}`);
  }
  if (startup.length > 0) parts.push(`startup ${startup.join(', ')}`);
  return `- ${title}: ${parts.join('; ')}`;
}

/** Earlier-run lines already in a latest.md: its "Earlier runs" list, or loose notes below the tables. */
function earlierNotes(markdown) {
  const section = markdown.split(/^## Earlier runs\s*$/m)[1];
  if (section !== undefined) return section.split('\n').filter((l) => l.startsWith('- '));
  const afterTables = markdown.slice(markdown.lastIndexOf('\n|') + 1).split('\n').slice(1);
  return afterTables.filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => `- ${l.trim()}`);
}

export function earlierRuns(previousMarkdown, keep = 8) {
  if (!previousMarkdown) return [];
  return [summarize(previousMarkdown.split(/^## Earlier runs\s*$/m)[0]), ...earlierNotes(previousMarkdown)].slice(0, keep);
}
