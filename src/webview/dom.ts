// DOM building for the playbook sidebar. Data only ever becomes text nodes or attribute values (setAttribute):
// nothing from the data is parsed as HTML.

export type Child = Node | string | false | null | undefined;

export interface Attributes {
  [name: string]: string | number | boolean | undefined;
}

/** `el('div', { class: 'x', 'aria-label': title }, 'text', child)`; `false`/`undefined` attributes are left out. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** `text` with the [start, end) ranges wrapped in <mark>, as text nodes. */
export function highlighted(text: string, ranges: ReadonlyArray<readonly [number, number]>): DocumentFragment {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) out.appendChild(document.createTextNode(text.slice(at, start)));
    out.appendChild(el('mark', {}, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) out.appendChild(document.createTextNode(text.slice(at)));
  return out;
}

/**
 * A window of about `max` characters of `text` around its first range, with "…" where it was cut,
 * and the ranges moved into the window.
 */
export function excerpt(
  text: string,
  ranges: ReadonlyArray<readonly [number, number]>,
  max = 110,
): { text: string; ranges: Array<[number, number]> } {
  if (text.length <= max) return { text, ranges: ranges.map(([s, e]) => [s, e]) };
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(max / 3));
  // Start at a word boundary.
  if (start > 0) {
    const space = text.lastIndexOf(' ', start);
    start = space > first - max / 2 ? space + 1 : start;
  }
  const end = Math.min(text.length, start + max);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  const moved: Array<[number, number]> = [];
  for (const [s, e] of ranges) {
    if (e <= start || s >= end) continue;
    moved.push([Math.max(s, start) + shift, Math.min(e, end) + shift]);
  }
  return { text: prefix + text.slice(start, end) + suffix, ranges: moved };
}
