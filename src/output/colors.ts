/**
 * Colours for the terminal output, one per component. Honours NO_COLOR (https://no-color.org:
 * any non-empty value turns colour off) and never colours a stream that is not a terminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Component, Severity } from '../model/event.js';

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 2 : 0 });
}

export function componentColor(c: ChalkInstance, component: Component): ChalkInstance {
  switch (component) {
    case 'etcd':
      return c.magenta;
    case 'kube-apiserver':
      return c.blue;
    case 'kube-scheduler':
      return c.cyan;
    case 'kube-controller-manager':
      return c.green;
    case 'kube-proxy':
      return c.yellow;
    case 'coredns':
      return c.magentaBright;
    case 'kubelet':
      return c.blueBright;
    case 'audit':
      return c.gray;
    case 'event':
      return c.greenBright;
    default:
      return c.white;
  }
}

export function severityColor(c: ChalkInstance, s: Severity): ChalkInstance {
  switch (s) {
    case 'fatal':
      return c.bgRed.white.bold;
    case 'error':
      return c.red.bold;
    case 'warn':
      return c.yellow;
    case 'debug':
      return c.gray;
    default:
      return c.reset;
  }
}
