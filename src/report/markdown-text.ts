/**
 * Inline Markdown from untrusted text, for GitHub's renderer (step summaries): control
 * characters made visible, HTML made inert (`<`, `&`), every punctuation mark that could start
 * emphasis, code, a link, a table cell or a mention backslash-escaped, so that a log line shows
 * as the text it is.
 */
import { neutralize } from '../util/sanitize.js';

const MARKDOWN_PUNCTUATION = /[\\`*_[\]()|~!#@>+{}]/g;

export function mdInline(text: string): string {
  return neutralize(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/** A fenced code block that the content cannot close: the fence is longer than any backtick run in it. */
export function mdCodeBlock(lines: readonly string[], info = ''): string {
  const body = lines.map((l) => neutralize(l)).join('\n');
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Inline code for short identifiers (file:line): backticks inside are handled by a longer delimiter. */
export function mdCode(text: string): string {
  const t = neutralize(text);
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const tick = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${t}${pad}${tick}`;
}
