/**
 * Colours for the terminal output, one per component. Honours NO_COLOR (https://no-color.org:
 * any non-empty value turns colour off) and never colours a stream that is not a terminal.
 */
import { Chalk, type ChalkInstance, type ForegroundColorName } from 'chalk';
import type { Component, Severity } from '../model/event.js';

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 2 : 0 });
}

/** One colour per component; any other (`other`) is white. */
const COMPONENT_COLORS: Partial<Record<Component, ForegroundColorName>> = {
  etcd: 'magenta',
  'kube-apiserver': 'blue',
  'kube-scheduler': 'cyan',
  'kube-controller-manager': 'green',
  'kube-proxy': 'yellow',
  coredns: 'magentaBright',
  kubelet: 'blueBright',
  audit: 'gray',
  event: 'greenBright',
};

export function componentColor(c: ChalkInstance, component: Component): ChalkInstance {
  return c[COMPONENT_COLORS[component] ?? 'white'];
}

/** The severities that stand out; info is left plain. */
const SEVERITY_STYLES: Partial<Record<Severity, (c: ChalkInstance) => ChalkInstance>> = {
  fatal: (c) => c.bgRed.white.bold,
  error: (c) => c.red.bold,
  warn: (c) => c.yellow,
  debug: (c) => c.gray,
};

export function severityColor(c: ChalkInstance, s: Severity): ChalkInstance {
  return SEVERITY_STYLES[s]?.(c) ?? c.reset;
}
