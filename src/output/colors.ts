/**
 * Colours for the terminal output, one per component. Honours NO_COLOR (https://no-color.org:
 * any non-empty value turns colour off) and never colours a stream that is not a terminal.
 *
 * Output without colour (a pipe, a file, NO_COLOR) is most output, and it does not load chalk:
 * makeChalk(false) is a plain styler that takes the same chains and returns the text as chalk at
 * level 0 does. chalk and what it loads (its colour detection reads the terminal and the OS
 * release) were about 10 ms of the CPU of a `ktrail trace` to a pipe, of ~140 ms (measured
 * against the build before, alternating runs).
 * makeChalk(true) requires chalk on its first call: require() of an ES module is synchronous on
 * Node 20.19+ (package.json's engines), so every caller keeps a synchronous styler.
 */
import { createRequire } from 'node:module';
import type { BackgroundColorName, ChalkInstance, ForegroundColorName, ModifierName } from 'chalk';
import type { Component, Severity } from '../model/event.js';

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Every style chalk chains (a Record, so the compiler says when chalk gains or loses one). */
const STYLES: Record<ModifierName | ForegroundColorName | BackgroundColorName, null> = {
  reset: null, bold: null, dim: null, italic: null, underline: null, overline: null, inverse: null, hidden: null, strikethrough: null,
  black: null, red: null, green: null, yellow: null, blue: null, magenta: null, cyan: null, white: null, gray: null, grey: null,
  blackBright: null, redBright: null, greenBright: null, yellowBright: null, blueBright: null, magentaBright: null, cyanBright: null, whiteBright: null,
  bgBlack: null, bgRed: null, bgGreen: null, bgYellow: null, bgBlue: null, bgMagenta: null, bgCyan: null, bgWhite: null, bgGray: null, bgGrey: null,
  bgBlackBright: null, bgRedBright: null, bgGreenBright: null, bgYellowBright: null, bgBlueBright: null, bgMagentaBright: null, bgCyanBright: null, bgWhiteBright: null,
};
const COLOR_MODELS = ['rgb', 'hex', 'ansi256', 'bgRgb', 'bgHex', 'bgAnsi256'] as const;

/**
 * A styler that writes no escapes, as chalk at level 0 does: the arguments joined by a space,
 * and nothing at all after `visible` ("only when colour is on"). Every chain returns the styler
 * itself, so it allocates nothing per call.
 */
function plainStyler(visible: boolean): ChalkInstance {
  const styler = visible
    ? (...args: unknown[]): string => (args.length === 1 ? '' + (args[0] as string) : args.join(' '))
    : (): string => '';
  const self = (): ChalkInstance => styler as unknown as ChalkInstance;
  for (const name of Object.keys(STYLES)) Object.defineProperty(styler, name, { get: self });
  for (const name of COLOR_MODELS) Object.defineProperty(styler, name, { value: self });
  Object.defineProperty(styler, 'level', { value: 0 });
  return styler as unknown as ChalkInstance;
}

const PLAIN = plainStyler(true);
const EMPTY = plainStyler(false);
Object.defineProperty(PLAIN, 'visible', { get: () => EMPTY });
Object.defineProperty(EMPTY, 'visible', { get: () => EMPTY });

let chalk: typeof import('chalk') | undefined;

export function makeChalk(enabled: boolean): ChalkInstance {
  if (!enabled) return PLAIN;
  // createRequire here, not at load: making one costs ~0.5 ms, and colourless output needs none.
  chalk ??= createRequire(import.meta.url)('chalk') as typeof import('chalk');
  return new chalk.Chalk({ level: 2 });
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
