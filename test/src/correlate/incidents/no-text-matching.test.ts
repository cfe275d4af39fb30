/**
 * Incident rules consume signals; they never match log text themselves (issue #9). Which lines
 * state a fact is src/signals/'s to say, once, tested on real lines; a rule or one of its look-ups
 * that matched text again would drift from it (two copies of one check had: '%probe for %'
 * against '% probe for %'). This walks every module under src/correlate/incidents/ with the
 * TypeScript parser and fails on:
 *  - SQL text matching in any string: LIKE, GLOB, REGEXP, instr(), a condition on e.message;
 *  - a message compared with a string (`e.message === 'Deleting pod'`), tested by a regular
 *    expression (`RE.test(e.message)`, `RE.exec(e.message)`) or searched (`e.message.includes(..)`,
 *    `startsWith`, `match`...).
 * Reading a message to show it (a summary quotes it) is not matching and is not caught.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../../../helpers/paths.js';

const RULE_CODE = join(repoRoot, 'src', 'correlate', 'incidents');

/**
 * What is left, each by file and the text of the expression, with why. Structured reads are not
 * listed: they are not caught (a field by name, json_extract equality on a parsed field, as
 * etcd-members.ts looks a raft member up by the ID the etcd parser put in its fields).
 * Every entry here is a debt, not an exception to keep: a value read out of an older wording
 * belongs in the facts of the signal that recognized the line.
 */
const ALLOWED: readonly { file: string; code: string; why: string }[] = [
  // Not recognition: the summary of a pod incident quotes its first line, and for a recorder's
  // "Event occurred" line (fixed klog wording) it quotes the Event's own text instead. Which lines
  // are in the incident was decided by signals before; this only picks the words shown.
  { file: 'pod-incidents.ts', code: "firstLine.message === 'Event occurred'", why: 'which text a summary quotes' },
];

// SQL keywords as this code writes them (upper case), so that a summary saying "more like it" is no hit.
const SQL_TEXT_MATCH = /\b(?:LIKE|GLOB|REGEXP|MATCH)\b|\binstr\s*\(|\bmessage\s*(?:=|!=|<>|IN\b|IS\b)/;
const SEARCHES = new Set(['includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'match', 'matchAll', 'search', 'split', 'replace']);
const REGEX_CALLS = new Set(['test', 'exec']);

function isMessage(node: ts.Node): boolean {
  const inner = ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node) ? node.expression : node;
  return (ts.isPropertyAccessExpression(inner) && inner.name.text === 'message') || (ts.isIdentifier(inner) && inner.text === 'message');
}

/** Every text match in one module's source, as [line, code] pairs. */
function textMatches(fileName: string, source: string): { line: number; code: string; what: string }[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const out: { line: number; code: string; what: string }[] = [];
  const hit = (node: ts.Node, what: string): void => {
    out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, code: node.getText(sf), what });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (SQL_TEXT_MATCH.test(node.text)) hit(node, 'SQL matching text');
    } else if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      const equality = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if (equality && (isMessage(node.left) || isMessage(node.right))) hit(node, 'a message compared');
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (REGEX_CALLS.has(method) && node.arguments.some(isMessage)) hit(node, 'a regular expression over a message');
      else if (SEARCHES.has(method) && isMessage(node.expression.expression)) hit(node, 'a message searched');
      else if (method === 'includes' && node.arguments.some(isMessage)) hit(node, 'a message looked up in a list');
    } else if (ts.isParameter(node) && node.initializer && isMessage(node.initializer)) {
      // `text: string = e.message`: the function matches its text, which defaults to the message.
      hit(node, 'a message as the text to match');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? modules(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

test('no incident rule or look-up matches log text: they read signals (src/signals/) and fields', () => {
  const files = modules(RULE_CODE);
  assert.ok(files.length > 40, `${files.length} modules under src/correlate/incidents`);
  const found: string[] = [];
  const used = new Set<(typeof ALLOWED)[number]>();
  for (const path of files) {
    const file = relative(RULE_CODE, path);
    for (const m of textMatches(file, readFileSync(path, 'utf8'))) {
      const allowed = ALLOWED.find((a) => a.file === file && m.code.includes(a.code));
      if (allowed) used.add(allowed);
      else found.push(`src/correlate/incidents/${file}:${m.line}: ${m.what}: ${m.code.slice(0, 160)}`);
    }
  }
  assert.deepEqual(found, [], 'match the line in a signal (src/signals/) and read the signal with view.signalled()');
  // An entry that no longer matches anything is a debt paid: take it off the list.
  assert.deepEqual(ALLOWED.filter((a) => !used.has(a)).map((a) => `${a.file}: ${a.code}`), []);
});

test('the check catches each way of matching text, and lets structured reads and quoting through', () => {
  const caught = textMatches(
    'x.ts',
    `
    view.events("e.component = 'kubelet' AND e.message LIKE '%probe for %'");
    view.events(\`e.fields LIKE '%"podIP%' AND \${x}\`);
    view.events("e.message = 'Deleting pod'");
    view.events("e.component = 'event' AND e.message GLOB 'Evicted*'");
    if (e.message === 'Deleting pod') f();
    if ('SyncLoop DELETE' == row.message) f();
    NODE_DOWN.test(e.message);
    LEGACY.exec(e.message!);
    e.message.startsWith('SyncLoop (DELETE');
    PROXY_SYNC.includes(e.message);
    function podOf(e, text = e.message) {}
    `,
  );
  assert.deepEqual(
    caught.map((c) => c.what),
    [
      'SQL matching text',
      'SQL matching text',
      'SQL matching text',
      'SQL matching text',
      'a message compared',
      'a message compared',
      'a regular expression over a message',
      'a regular expression over a message',
      'a message searched',
      'a message looked up in a list',
      'a message as the text to match',
    ],
  );
  const structured = textMatches(
    'y.ts',
    `
    view.events("e.component = 'etcd' AND json_extract(e.fields, '$.member') = ?", [id]);
    view.signalled(['pod-ip']);
    const summary = \`\${first.component} exited: \${first.message}\`;
    const more = \`\${n} more like it\`;
    if (e.fields['reason'] === 'SuccessfulDelete') f();
    c.causeChain.push({ summary: stop.message });
    `,
  );
  assert.deepEqual(structured, []);
});
