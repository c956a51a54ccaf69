// A list that renders only the rows in view (plus a few), so 10,000 spans or 50,000 log records scroll
// as smoothly as 50. Rows have one fixed height. Arrow keys, Page Up/Down, Home/End move the selection;
// Enter opens it (onOpen).

import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';

const OVERSCAN = 10;

export function VirtualList({ items, rowHeight, renderRow, selected, onSelect, onOpen, label, testId }) {
  const ref = useRef(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Keep the selected row in view when it moves by keyboard.
  useEffect(() => {
    const el = ref.current;
    if (!el || selected === undefined || selected < 0) return;
    const top = selected * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [selected]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    rows.push(html`<div class="vrow" role="row" key=${i} style=${`top:${i * rowHeight}px;height:${rowHeight}px`}
      aria-selected=${i === selected ? 'true' : 'false'} onClick=${() => { onSelect?.(i); onOpen?.(i, 'click'); }}>${renderRow(items[i], i)}</div>`);
  }

  const onKey = (e) => {
    if (!items.length) return;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const at = selected === undefined || selected < 0 ? -1 : selected;
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: items.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      onSelect?.(Math.max(0, Math.min(items.length - 1, moves[e.key])));
    } else if (e.key === 'Enter' && at >= 0) {
      e.preventDefault();
      onOpen?.(at, 'key');
    }
  };

  return html`<div class="vlist" ref=${ref} tabindex="0" role="grid" aria-label=${label} aria-rowcount=${items.length} data-testid=${testId}
      onScroll=${(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown=${onKey}>
    <div class="vspace" style=${`height:${items.length * rowHeight}px`}>${rows}</div>
  </div>`;
}
