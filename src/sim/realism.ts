/**
 * Checks templates against real captures: a template is "seen" when one line of the corpus holds
 * all its constant fragments, in order. Used by test/src/sim/realism.test.ts; kept here so that
 * the same check can run against any capture a developer has at hand.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allTemplates } from './templates/index.js';
import type { TemplateInfo } from './templates/define.js';

/** Every line of every file under `dir` (the corpus is a few MB). */
export function corpusLines(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else for (const l of readFileSync(p, 'utf8').split('\n')) out.push(l);
    }
  };
  walk(dir);
  return out;
}

function inOrder(line: string, fragments: readonly string[]): boolean {
  let at = 0;
  for (const f of fragments) {
    const i = line.indexOf(f, at);
    if (i < 0) return false;
    at = i + f.length;
  }
  return true;
}

/** Does some line hold the fragments in order (also as they appear inside a Go-quoted dump)? */
export function seen(lines: readonly string[], fragments: readonly string[]): boolean {
  if (fragments.length === 0) return true;
  const escaped = fragments.map((f) => f.replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
  const longest = [...fragments].sort((a, b) => b.length - a.length)[0]!;
  const longestEscaped = [...escaped].sort((a, b) => b.length - a.length)[0]!;
  for (const l of lines) {
    if (l.includes(longest) && inOrder(l, fragments)) return true;
    if (l.includes(longestEscaped) && inOrder(l, escaped)) return true;
  }
  return false;
}

export interface Unseen {
  id: string;
  fragments: readonly string[];
}

/** Template forms (`id`, and `id#legacy` for the '1.20' form) the corpus does not show. */
export function unseenTemplates(lines: readonly string[], templates: readonly TemplateInfo[] = allTemplates()): Unseen[] {
  const out: Unseen[] = [];
  for (const t of templates) {
    if (!seen(lines, t.fragments)) out.push({ id: t.id, fragments: t.fragments });
    if (t.legacyFragments && !seen(lines, t.legacyFragments)) out.push({ id: `${t.id}#legacy`, fragments: t.legacyFragments });
  }
  return out;
}
