// Records for the console tree's tests: the demo shop's trace, built field by field.

import type { HrTime } from '../../../../src/core/types.js';
import type { TreeLog, TreeSpan } from '../../../../src/export/console/tree/tree-records.js';

export const TRACE = '0af7651916cd43dd8448eb211c80319c';
const BASE = 1_700_000_000;

/** `ms` milliseconds after the trace's start, as an HrTime. */
export function at(ms: number): HrTime {
  const ns = Math.round(ms * 1e6);
  return [BASE + Math.floor(ns / 1e9), ns % 1e9];
}

export function span(fields: Partial<TreeSpan> & Pick<TreeSpan, 'spanId' | 'name'> & { from: number; to: number }): TreeSpan {
  const { from, to, ...rest } = fields;
  return { type: 'span', traceId: TRACE, kind: 0, status: 0, service: 'shop', start: at(from), end: at(to), ...rest };
}

export function log(fields: Partial<TreeLog> & { at: number; body: string }): TreeLog {
  const { at: when, ...rest } = fields;
  return { type: 'log', traceId: TRACE, severity: 'INFO', service: 'shop', time: at(when), ...rest };
}

/** The demo's order: server span, handler, client call, the stock service's server span, a log line. */
export function orderTrace(): { spans: TreeSpan[]; logs: TreeLog[] } {
  return {
    spans: [
      // In the order they end, as they arrive.
      span({ spanId: 'e000000000000004', parentSpanId: 'c000000000000003', parentIsRemote: true, name: 'GET /stock/:sku', kind: 1, httpStatus: 200, service: 'stock', from: 1.5, to: 2.7 }),
      span({ spanId: 'c000000000000003', parentSpanId: 'b000000000000002', name: 'GET', kind: 2, httpStatus: 200, target: 'http://127.0.0.1:41231/stock/tea', from: 0.4, to: 3.5 }),
      span({ spanId: 'b000000000000002', parentSpanId: 'a000000000000001', name: 'request handler - /api/orders/:id', from: 0.3, to: 12.2 }),
      span({ spanId: 'a000000000000001', name: 'GET /api/orders/:id', kind: 1, httpStatus: 200, from: 0, to: 12.4 }),
    ],
    logs: [log({ spanId: 'b000000000000002', at: 4, body: 'order 42 checked out' })],
  };
}
