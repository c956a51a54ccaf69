// What a signal's items are called in the exporter's warnings.

import type { Signal } from '../../../config/types.js';

export const ITEM_NOUN: Record<Signal, string> = { traces: 'spans', metrics: 'data points', logs: 'log records' };
