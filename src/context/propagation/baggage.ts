// W3C Baggage, https://www.w3.org/TR/baggage/

import type { BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { propagation, baggageEntryMetadataFromString, baggageFromEntries } from '../../otel-api/baggage.js';
import { isSuppressed } from '../suppress.js';

const BAGGAGE = 'baggage';
const FIELDS = [BAGGAGE];
// Limits from the W3C Baggage spec.
const MAX_MEMBERS = 180;
const MAX_BYTES = 8192;

function encodeMember(key: string, entry: BaggageEntry): string {
  let member = `${encodeURIComponent(key)}=${encodeURIComponent(entry.value)}`;
  const metadata = entry.metadata?.toString();
  if (metadata) member += `;${metadata}`;
  return member;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export const baggagePropagator: TextMapPropagator = {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(ctx);
    if (baggage === undefined || isSuppressed(ctx)) return;
    let header = '';
    let count = 0;
    for (const [key, entry] of baggage.getAllEntries()) {
      if (count === MAX_MEMBERS) break;
      const member = encodeMember(key, entry);
      const next = header === '' ? member : `${header},${member}`;
      if (Buffer.byteLength(next) > MAX_BYTES) break;
      header = next;
      count++;
    }
    if (header !== '') setter.set(carrier, BAGGAGE, header);
  },

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, BAGGAGE);
    const header = Array.isArray(raw) ? raw.join(',') : raw;
    if (!header) return ctx;
    // A Map: any valid key is kept, `__proto__` included.
    const entries = new Map<string, BaggageEntry>();
    let count = 0;
    for (const member of header.split(',')) {
      if (count === MAX_MEMBERS) break;
      const semi = member.indexOf(';');
      const pair = semi === -1 ? member : member.slice(0, semi);
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = safeDecode(pair.slice(0, eq).trim());
      const value = safeDecode(pair.slice(eq + 1).trim());
      if (key === undefined || key === '' || value === undefined) continue;
      const entry: BaggageEntry = { value };
      if (semi !== -1) entry.metadata = baggageEntryMetadataFromString(member.slice(semi + 1));
      entries.set(key, entry);
      count++;
    }
    if (count === 0) return ctx;
    return propagation.setBaggage(ctx, baggageFromEntries(entries));
  },

  fields(): string[] {
    return FIELDS;
  },
};
