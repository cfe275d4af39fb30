/**
 * JUnit XML for CI test reporters: one testsuite; one testcase per incident rule (every kind the
 * detector knows, so a clean run shows what was checked), holding a <failure> per failing
 * incident with its evidence as file:line lines; one testcase per expectation. Accepted and
 * below-threshold incidents are listed in the testcase's <system-out>. Everything XML-escaped.
 */
import { INCIDENT_KINDS } from '../correlate/incidents/index.js';
import { xmlEscape } from './escape.js';
import type { CiReport, ReportIncident } from './types.js';

interface TestCase {
  classname: string;
  name: string;
  failures: { type: string; message: string; body: string }[];
  out: string[];
}

function incidentBody(i: ReportIncident): string {
  const lines = [
    `${i.severity} ${i.kind} on ${i.root.label}`,
    i.summary,
    `from ${i.start} to ${i.end}; components: ${i.components.join(', ') || '-'}`,
    `evidence (${i.evidence.length} of ${i.evidenceTotal}):`,
    ...i.evidence.map((e) => `  ${e.file}:${e.line} [${e.component}${e.host ? ` ${e.host}` : ''}] ${e.message}${e.facts ? ` (${e.facts})` : ''}`),
  ];
  return lines.join('\n');
}

function status(i: ReportIncident, r: CiReport): string {
  if (i.status === 'accepted') {
    const rule = r.expectations.accept[i.acceptedBy ?? -1];
    return `accepted${rule?.reason ? ` (${rule.reason})` : ''}`;
  }
  return 'below the --fail-on threshold';
}

export function formatJunit(r: CiReport): string {
  const kinds = [...new Set<string>([...INCIDENT_KINDS, ...r.incidents.map((i) => i.kind)])];
  const cases: TestCase[] = kinds.map((kind) => {
    const mine = r.incidents.filter((i) => i.kind === kind);
    return {
      classname: 'ktrail.incidents',
      name: kind,
      failures: mine
        .filter((i) => i.status === 'failing')
        .map((i) => ({ type: i.kind, message: `${i.severity}: ${i.root.label}: ${i.summary}`, body: incidentBody(i) })),
      out: mine.filter((i) => i.status !== 'failing').map((i) => `${status(i, r)}:\n${incidentBody(i)}`),
    };
  });
  for (const a of r.expectations.accept) {
    cases.push({
      classname: 'ktrail.expectations',
      name: `accept[${a.index}] ${a.kind}${a.object ? ` on ${a.object}` : ''}`,
      failures: [],
      out: [`${a.accepted.length} accepted (incidents ${a.accepted.join(', ') || 'none'}); ${a.matched} matched${a.exceeded ? `; more than max ${a.max}` : ''}`],
    });
  }
  for (const q of r.expectations.require) {
    cases.push({
      classname: 'ktrail.expectations',
      name: `require[${q.index}] ${q.description}`,
      failures: q.met ? [] : [{ type: 'unmet-requirement', message: `not met: found ${q.found}, need ${q.min}`, body: `${q.description}: found ${q.found}, need ${q.min}` }],
      out: q.met ? [`met: found ${q.found}, need ${q.min}`] : [],
    });
  }

  const failures = cases.reduce((n, c) => n + c.failures.length, 0);
  const suiteName = `ktrail ci: ${r.input.name}`;
  const x: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  x.push(`<testsuites name="ktrail ci" tests="${cases.length}" failures="${failures}" errors="0">`);
  x.push(`  <testsuite name="${xmlEscape(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`);
  x.push('    <properties>');
  const props: [string, string][] = [
    ['failOn', r.failOn],
    ['events', String(r.totals.events)],
    ['incidents', String(r.totals.incidents)],
    ['result', r.result],
  ];
  if (r.range) props.push(['from', r.range.from], ['to', r.range.to]);
  for (const [k, v] of props) x.push(`      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
  x.push('    </properties>');
  for (const c of cases) {
    const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}"`;
    if (c.failures.length === 0 && c.out.length === 0) {
      x.push(`${open}/>`);
      continue;
    }
    x.push(`${open}>`);
    for (const f of c.failures) {
      x.push(`      <failure type="${xmlEscape(f.type)}" message="${xmlEscape(f.message)}">${xmlEscape(f.body)}</failure>`);
    }
    if (c.out.length) x.push(`      <system-out>${xmlEscape(c.out.join('\n\n'))}</system-out>`);
    x.push('    </testcase>');
  }
  x.push('  </testsuite>');
  x.push('</testsuites>');
  return x.join('\n') + '\n';
}
