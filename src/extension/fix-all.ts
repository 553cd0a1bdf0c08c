// "Fix all": the first fix of every finding, merged into one set of edits that an editor can apply at once.
// Pure (no `vscode`), so it is tested directly.
import type { Finding, TextEdit } from '../core/types';

/** First fix of each finding, without duplicates or overlaps (the earlier finding wins). */
export function combinedFixEdits(findings: readonly Finding[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const fix = f.fixes[0];
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const overlaps = fix.edits.some(e => chosen.some(c => (e.start < c.end && c.start < e.end) || e.start === c.start));
    if (overlaps) continue;
    seen.add(key);
    chosen.push(...fix.edits);
  }
  return chosen;
}
