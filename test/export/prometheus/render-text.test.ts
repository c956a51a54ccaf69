// The text exposition format rendered from our own ResourceMetrics.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_TYPE, escapeHelp, escapeLabelValue, renderText } from '../../../src/export/prometheus/render-text.js';
import { Temporality, type MetricData, type ResourceMetrics } from '../../../src/metrics/metric-data.js';
import type { Attributes } from '../../../src/core/types.js';

const T = [0, 0] as [number, number];

function point(value: number, attributes: Attributes = {}) {
  return { attributes, startTime: T, time: T, value, exemplars: [] };
}

function rm(metrics: MetricData[], resource: Attributes = { 'service.name': 'shop' }, scope = { name: 'lib', version: '1.2.3' }): ResourceMetrics {
  return { resource: { attributes: resource }, scopeMetrics: [{ scope, metrics }] };
}

const SCOPE = 'otel_scope_name="lib",otel_scope_version="1.2.3"';

describe('prometheus text rendering', () => {
  it('uses the 0.0.4 text content type', () => {
    assert.equal(CONTENT_TYPE, 'text/plain; version=0.0.4; charset=utf-8');
  });

  it('renders a monotonic cumulative sum as a counter ending in _total', () => {
    const text = renderText(
      rm([{ kind: 'sum', name: 'jobs.done', description: 'Jobs done.', unit: '{job}', valueType: 'int', temporality: Temporality.Cumulative, isMonotonic: true, points: [point(3, { 'job.kind': 'a' })] }], {}),
    );
    assert.equal(text, `# HELP jobs_done_total Jobs done.\n# TYPE jobs_done_total counter\njobs_done_total{job_kind="a",${SCOPE}} 3\n`);
  });

  it('renders non-monotonic sums and gauges as gauges', () => {
    const text = renderText(
      rm(
        [
          { kind: 'sum', name: 'queue.size', description: '', unit: '{item}', valueType: 'int', temporality: Temporality.Cumulative, isMonotonic: false, points: [point(-2)] },
          { kind: 'gauge', name: 'cpu.utilization', description: 'CPU.', unit: '1', valueType: 'double', points: [point(0.25)] },
        ],
        {},
      ),
    );
    assert.equal(
      text,
      `# TYPE queue_size gauge\nqueue_size{${SCOPE}} -2\n` +
        `# HELP cpu_utilization_ratio CPU.\n# TYPE cpu_utilization_ratio gauge\ncpu_utilization_ratio{${SCOPE}} 0.25\n`,
    );
  });

  it('renders a histogram as cumulative _bucket{le} lines ending at +Inf, then _sum and _count', () => {
    const text = renderText(
      rm(
        [
          {
            kind: 'histogram',
            name: 'http.server.request.duration',
            description: 'Duration of HTTP server requests.',
            unit: 's',
            valueType: 'double',
            temporality: Temporality.Cumulative,
            points: [{ attributes: { 'http.request.method': 'GET' }, startTime: T, time: T, count: 4, sum: 2.5, min: 0.001, max: 2, bounds: [0.005, 0.1, 1], bucketCounts: [1, 2, 0, 1], exemplars: [] }],
          },
        ],
        {},
      ),
    );
    const labels = `http_request_method="GET",${SCOPE}`;
    assert.equal(
      text,
      [
        '# HELP http_server_request_duration_seconds Duration of HTTP server requests.',
        '# TYPE http_server_request_duration_seconds histogram',
        `http_server_request_duration_seconds_bucket{${labels},le="0.005"} 1`,
        `http_server_request_duration_seconds_bucket{${labels},le="0.1"} 3`,
        `http_server_request_duration_seconds_bucket{${labels},le="1"} 3`,
        `http_server_request_duration_seconds_bucket{${labels},le="+Inf"} 4`,
        `http_server_request_duration_seconds_sum{${labels}} 2.5`,
        `http_server_request_duration_seconds_count{${labels}} 4`,
        '',
      ].join('\n'),
    );
  });

  it('drops delta sums and histograms (never produced when Prometheus is configured)', () => {
    const text = renderText(
      rm(
        [
          { kind: 'sum', name: 'd', description: '', unit: '', valueType: 'int', temporality: Temporality.Delta, isMonotonic: true, points: [point(1)] },
          { kind: 'histogram', name: 'h', description: '', unit: '', valueType: 'int', temporality: Temporality.Delta, points: [] },
        ],
        {},
      ),
    );
    assert.equal(text, '');
  });

  it('escapes label values (backslash, quote, newline) and HELP text (backslash, newline)', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('line1\nline2 \\ "quoted"'), 'line1\\nline2 \\\\ "quoted"');
    const text = renderText(rm([{ kind: 'gauge', name: 'g', description: 'two\nlines', unit: '', valueType: 'int', points: [point(1, { path: 'C:\\tmp "x"\n' })] }], {}));
    assert.equal(text, `# HELP g two\\nlines\n# TYPE g gauge\ng{path="C:\\\\tmp \\"x\\"\\n",${SCOPE}} 1\n`);
  });

  it('writes special values as Prometheus spells them', () => {
    const text = renderText(rm([{ kind: 'gauge', name: 'g', description: '', unit: '', valueType: 'double', points: [point(Infinity, { a: 1 }), point(-Infinity, { a: 2 }), point(NaN, { a: 3 })] }], {}));
    assert.match(text, /g\{a="1",[^}]*\} \+Inf\ng\{a="2",[^}]*\} -Inf\ng\{a="3",[^}]*\} NaN\n/);
  });

  it('exposes the resource once as target_info with sanitized attribute labels and value 1', () => {
    const text = renderText(rm([], { 'service.name': 'shop', 'service.instance.id': 'i-1', 'host.arch': 'amd64', 'process.pid': 42 }));
    assert.equal(
      text,
      '# HELP target_info Target metadata\n# TYPE target_info gauge\n' +
        'target_info{host_arch="amd64",process_pid="42",service_instance_id="i-1",service_name="shop"} 1\n',
    );
  });

  it('labels every point with its scope, an empty otel_scope_version when it has none', () => {
    const text = renderText(rm([{ kind: 'gauge', name: 'g', description: '', unit: '', valueType: 'int', points: [point(1)] }], {}, { name: 'my-lib', version: undefined as unknown as string }));
    assert.equal(text, '# TYPE g gauge\ng{otel_scope_name="my-lib",otel_scope_version=""} 1\n');
  });

  it('merges one name from two scopes into one family, and drops a later metric with a conflicting type', () => {
    const a: MetricData = { kind: 'gauge', name: 'x', description: 'first', unit: '', valueType: 'int', points: [point(1)] };
    const b: MetricData = { kind: 'gauge', name: 'x', description: 'second', unit: '', valueType: 'int', points: [point(2)] };
    const c: MetricData = { kind: 'sum', name: 'x', description: '', unit: '', valueType: 'int', temporality: Temporality.Cumulative, isMonotonic: false, points: [point(3)] };
    const d: MetricData = { kind: 'histogram', name: 'x', description: '', unit: '', valueType: 'int', temporality: Temporality.Cumulative, points: [{ attributes: {}, startTime: T, time: T, count: 1, sum: 1, min: 1, max: 1, bounds: [], bucketCounts: [1], exemplars: [] }] };
    const text = renderText({
      resource: { attributes: {} },
      scopeMetrics: [
        { scope: { name: 's1' }, metrics: [a] },
        { scope: { name: 's2', version: '2' }, metrics: [b, c, d] },
      ],
    });
    assert.equal(
      text,
      '# HELP x first\n# TYPE x gauge\n' +
        'x{otel_scope_name="s1",otel_scope_version=""} 1\n' +
        'x{otel_scope_name="s2",otel_scope_version="2"} 2\n' +
        'x{otel_scope_name="s2",otel_scope_version="2"} 3\n',
    );
  });

  it('does not let attributes shadow the scope labels or a histogram le', () => {
    const text = renderText(
      rm(
        [
          {
            kind: 'histogram',
            name: 'h',
            description: '',
            unit: '',
            valueType: 'int',
            temporality: Temporality.Cumulative,
            points: [{ attributes: { le: 'mine', 'otel.scope.name': 'fake' }, startTime: T, time: T, count: 1, sum: 1, min: 1, max: 1, bounds: [], bucketCounts: [1], exemplars: [] }],
          },
        ],
        {},
      ),
    );
    assert.equal(text, `# TYPE h histogram\nh_bucket{${SCOPE},le="+Inf"} 1\nh_sum{${SCOPE}} 1\nh_count{${SCOPE}} 1\n`);
  });
});
