// How times, durations and values read on the page.

export function fmtDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60000).toFixed(1)} min`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

export function fmtTime(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function fmtDateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${fmtTime(ms)}`;
}

export function fmtValue(v) {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** SeverityNumber ranges of the logs data model. */
export function severityName(n, text) {
  if (text) return text.toUpperCase();
  if (!n) return 'UNSET';
  return ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][Math.min(5, Math.floor((n - 1) / 4))];
}

export function severityClass(n) {
  if (!n) return 'sev-unset';
  return `sev-${['trace', 'debug', 'info', 'warn', 'error', 'fatal'][Math.min(5, Math.floor((n - 1) / 4))]}`;
}

export function bodyText(body) {
  return typeof body === 'string' ? body : JSON.stringify(body);
}
