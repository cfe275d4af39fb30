/**
 * Every key of the TUI, once: which keys, in which context, what the help says, what the status
 * bar hints, and what it does. Dispatch, the help screen and the status hints are all derived
 * from KEYMAP, so a key cannot be bound without being documented, nor documented without being
 * bound.
 *
 * Key names are those of keys.ts ("up", "pagedown", "enter", "C-c") or the character typed.
 */

/** Where the user is: a view of the stack, or a mode on top of it. */
export type KeyContext =
  | 'list' // the event list
  | 'timeline'
  | 'incidents'
  | 'incident'
  | 'detail' // the detail pane has the focus (its keys come before the view's)
  | 'help'
  | 'query' // typing a filter or a search
  | 'jump'; // typing a time

export type ViewContext = Extract<KeyContext, 'list' | 'timeline' | 'incidents' | 'incident'>;
const VIEWS: readonly ViewContext[] = ['list', 'timeline', 'incidents', 'incident'];

/** What the keys of the views can do: the controller implements it. */
export interface ViewCommands {
  quit(): void;
  openHelp(): void;
  closeHelp(): void;
  move(rows: number | 'page' | '-page'): void;
  jumpEnd(last: boolean): void;
  enter(): void;
  toggleDetailFocus(): void;
  back(): void;
  timeline(): void;
  ownerTimeline(): void;
  detailObjectTimeline(index: number): void;
  incidents(): void;
  showInList(): void;
  toggleFollow(): void;
  toggleMark(): void;
  nextMark(): void;
  openInput(kind: 'filter' | 'search' | 'jump'): void;
  nextError(dir: 1 | -1): void;
  nextWarning(dir: 1 | -1): void;
  searchNext(dir: 1 | -1): void;
  scrollDetail(by: number | 'page' | '-page' | 'top' | 'bottom'): void;
}

/** What the keys of the input line can do. */
export interface InputCommands {
  cancel(): void;
  apply(): void;
  backspace(): void;
  deleteForward(): void;
  caret(to: -1 | 1 | 'home' | 'end'): void;
  killToStart(): void;
  history(dir: -1 | 1): void;
  switchKind(): void;
}

export interface Commands {
  view: ViewCommands;
  input: InputCommands;
}

/** Binds every key (help: "any key closes it"). */
export const ANY = '*';

export interface Binding {
  /** Key names; ANY for every key. */
  keys: readonly string[];
  contexts: readonly KeyContext[];
  /** The keys as the help shows them. */
  label: string;
  /** What the help says. */
  help: string;
  /** The status bar's hint ("/:filter"), or one per context; bindings without one are in the help only. */
  hint?: string | Partial<Record<KeyContext, string>>;
  action: (c: Commands, key: string) => void;
}

const EVERY_VIEW = VIEWS;
const EVENT_VIEWS: readonly ViewContext[] = ['list', 'timeline', 'incident'];

const SCROLL: Record<string, number | 'page' | '-page' | 'top' | 'bottom'> = {
  j: 1, down: 1, k: -1, up: -1, ' ': 'page', pagedown: 'page', b: '-page', pageup: '-page', g: 'top', home: 'top', G: 'bottom', end: 'bottom',
};
const CARET: Record<string, -1 | 1 | 'home' | 'end'> = { left: -1, right: 1, home: 'home', 'C-a': 'home', end: 'end', 'C-e': 'end' };

/** In the order of the help screen; the hints of a context keep this order too. */
export const KEYMAP: readonly Binding[] = [
  // Help and quitting come first: they are the hints every view starts with.
  { keys: ['escape'], contexts: EVERY_VIEW, label: 'Esc', help: 'back: close the detail pane, the timeline, the incident', hint: { timeline: 'Esc:back', incidents: 'Esc:back', incident: 'Esc:back' }, action: (c) => c.view.back() },
  { keys: ['?'], contexts: EVERY_VIEW, label: '?', help: 'this help', hint: '?:help', action: (c) => c.view.openHelp() },
  { keys: ['q'], contexts: [...EVERY_VIEW, 'help'], label: 'q Ctrl-C', help: 'quit', hint: 'q:quit', action: (c) => c.view.quit() },
  { keys: ['/'], contexts: ['list'], label: '/', help: 'filter with a query: {component="kubelet"} |= "Back-off" | level >= warn', hint: '/:filter', action: (c) => c.view.openInput('filter') },
  { keys: ['enter'], contexts: EVERY_VIEW, label: 'Enter', help: 'show or hide the detail pane; in the incident list, open the incident', hint: { list: 'Enter:detail', timeline: 'Enter:detail', incident: 'Enter:detail', incidents: 'Enter:open' }, action: (c) => c.view.enter() },
  { keys: ['t'], contexts: ['list', 'incident', 'timeline', 'incidents'], label: 't', help: 'timeline of the selected event\'s object (of the step\'s other object; of the incident\'s root)', hint: { list: 't:timeline', incident: 't:timeline', timeline: 't:other object', incidents: 't:root timeline' }, action: (c) => c.view.timeline() },
  { keys: ['i'], contexts: EVERY_VIEW, label: 'i', help: 'incidents: what went wrong', hint: 'i:incidents', action: (c) => c.view.incidents() },
  { keys: ['e', 'E', 'w', 'W'], contexts: ['list'], label: 'e E / w W', help: 'next / previous error / warning', hint: 'e/w:errors', action: (c, k) => (k.toLowerCase() === 'e' ? c.view.nextError(k === 'e' ? 1 : -1) : c.view.nextWarning(k === 'w' ? 1 : -1)) },
  { keys: ['s'], contexts: ['list'], label: 's', help: 'search with a query', hint: 's:search', action: (c) => c.view.openInput('search') },
  { keys: ['n', 'N'], contexts: ['list'], label: 'n N', help: 'next / previous match of the search', action: (c, k) => c.view.searchNext(k === 'n' ? 1 : -1) },
  { keys: [':'], contexts: ['list'], label: ':', help: 'jump to a time: 14:52:07, 2025-03-21T14:52Z, +5m, -30s, 5m (from the start)', hint: '::time', action: (c) => c.view.openInput('jump') },
  { keys: ['f'], contexts: ['list'], label: 'f', help: 'follow: show new events as they arrive', hint: 'f:follow', action: (c) => c.view.toggleFollow() },
  { keys: ['u'], contexts: ['timeline'], label: 'u', help: 'in a timeline: the timeline of the object\'s owner', hint: 'u:owner', action: (c) => c.view.ownerTimeline() },
  { keys: ['o'], contexts: ['timeline', 'incident'], label: 'o', help: 'show the selected event in the event list', hint: 'o:show in list', action: (c) => c.view.showInList() },
  // Moving (no hints: every user tries the arrows).
  { keys: ['j', 'down', 'C-n', 'k', 'up', 'C-p'], contexts: EVERY_VIEW, label: 'j k ↑ ↓', help: 'move one row', action: (c, k) => c.view.move(['j', 'down', 'C-n'].includes(k) ? 1 : -1) },
  { keys: [' ', 'pagedown', 'C-f', 'b', 'pageup', 'C-b'], contexts: EVERY_VIEW, label: 'PgDn space / PgUp b', help: 'move one page', action: (c, k) => c.view.move([' ', 'pagedown', 'C-f'].includes(k) ? 'page' : '-page') },
  { keys: ['g', 'home', 'G', 'end'], contexts: EVERY_VIEW, label: 'g Home / G End', help: 'first / last row', action: (c, k) => c.view.jumpEnd(k === 'G' || k === 'end') },
  { keys: ['tab'], contexts: EVENT_VIEWS, label: 'Tab', help: 'move the focus to the detail pane and back', action: (c) => c.view.toggleDetailFocus() },
  { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], contexts: EVENT_VIEWS, label: '1-9', help: 'timeline of that object of the detail pane', action: (c, k) => c.view.detailObjectTimeline(Number(k) - 1) },
  { keys: ['m'], contexts: EVENT_VIEWS, label: 'm', help: 'mark the selected event', action: (c) => c.view.toggleMark() },
  { keys: ["'"], contexts: EVERY_VIEW, label: "'", help: 'jump to the next mark (in the event list)', action: (c) => c.view.nextMark() },
  // The detail pane's keys, when it has the focus, come before the view's.
  { keys: Object.keys(SCROLL), contexts: ['detail'], label: 'j k PgDn PgUp g G', help: 'scroll the focused detail pane', hint: 'j k PgDn PgUp: scroll the detail', action: (c, k) => c.view.scrollDetail(SCROLL[k]!) },
  { keys: ['tab'], contexts: ['detail'], label: 'Tab', help: 'give the focus back to the list', hint: 'Tab: back to the list', action: (c) => c.view.toggleDetailFocus() },
  { keys: ['escape'], contexts: ['detail'], label: 'Esc', help: 'unfocus the detail pane', hint: 'Esc: unfocus', action: (c) => c.view.back() },
  { keys: [ANY], contexts: ['help'], label: 'any key', help: 'close the help', hint: 'any key: close help', action: (c) => c.view.closeHelp() },
  // The input line.
  { keys: ['enter'], contexts: ['query', 'jump'], label: 'Enter', help: 'apply the filter or search; jump to the time', hint: { query: 'Enter: apply', jump: 'Enter: jump' }, action: (c) => c.input.apply() },
  { keys: ['escape'], contexts: ['query', 'jump'], label: 'Esc', help: 'cancel', hint: 'Esc: cancel', action: (c) => c.input.cancel() },
  { keys: ['tab', 'backtab'], contexts: ['query'], label: 'Tab', help: 'switch between filter and search', hint: 'Tab: filter/search', action: (c) => c.input.switchKind() },
  { keys: ['up', 'down'], contexts: ['query'], label: '↑ ↓', help: 'earlier / later queries', hint: '↑↓: history', action: (c, k) => c.input.history(k === 'up' ? -1 : 1) },
  { keys: Object.keys(CARET), contexts: ['query', 'jump'], label: '← → Home End ^A ^E', help: 'move the caret', action: (c, k) => c.input.caret(CARET[k]!) },
  { keys: ['backspace', 'C-d', 'C-u'], contexts: ['query', 'jump'], label: 'Bksp ^D ^U', help: 'delete before the caret / at it / to the start', action: (c, k) => (k === 'backspace' ? c.input.backspace() : k === 'C-d' ? c.input.deleteForward() : c.input.killToStart()) },
];

/** The binding of `key` in the first of `contexts` that binds it. */
export function lookup(contexts: readonly KeyContext[], key: string, map: readonly Binding[] = KEYMAP): Binding | undefined {
  for (const ctx of contexts) {
    const b = map.find((x) => x.contexts.includes(ctx) && (x.keys.includes(key) || x.keys.includes(ANY)));
    if (b) return b;
  }
  return undefined;
}

/** The views where `key` does something (to tell the user where to go when it does nothing here). */
export function viewsBinding(key: string, map: readonly Binding[] = KEYMAP): ViewContext[] {
  return VIEWS.filter((v) => map.some((b) => b.contexts.includes(v) && b.keys.includes(key)));
}

/** Status bar hints of the first context with any, in keymap order (the detail pane's hide the view's). */
export function hintsFor(contexts: readonly KeyContext[], map: readonly Binding[] = KEYMAP): string[] {
  for (const ctx of contexts) {
    const hints = map.filter((b) => b.contexts.includes(ctx)).flatMap((b) => {
      const h = typeof b.hint === 'string' ? b.hint : b.hint?.[ctx];
      return h ? [h] : [];
    });
    if (hints.length) return hints;
  }
  return [];
}

export interface HelpSection {
  title: string;
  rows: [label: string, help: string][];
}

const SECTION_TITLES: [KeyContext[], string][] = [
  [['list', 'timeline', 'incidents', 'incident'], 'the views'],
  [['detail'], 'the focused detail pane'],
  [['help'], 'this help'],
  [['query', 'jump'], 'the input line (filter, search, time)'],
];

/** The help screen: every binding once, under the section of its first context. */
export function helpSections(map: readonly Binding[] = KEYMAP): HelpSection[] {
  return SECTION_TITLES.map(([contexts, title]) => ({
    title,
    rows: map.filter((b) => contexts.includes(b.contexts[0]!)).map((b): [string, string] => [b.label, b.help]),
  }));
}
