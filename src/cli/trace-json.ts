/**
 * `ktrail trace -o json` as pieces of text: the bytes of `JSON.stringify(doc, null, 2) + '\n'`
 * (one timeline) or of the array of them, built an event at a time. A ReplicaSet over busy CoreDNS
 * pods is hundreds of thousands of events, and the whole document as one string passed the
 * longest string V8 holds: trace died with "RangeError: Invalid string length".
 */

/** A timeline's JSON: its other members (root, objects), and its events, written last. */
export interface TimelineDoc {
  shell: Record<string, unknown>;
  events: Iterable<unknown>;
}

/** A piece is written once it holds about this many characters: few writes, bounded memory. */
const PIECE = 1 << 20;

/**
 * JSON.stringify(value, null, 2), every line after the first indented by `pad` more: the text of
 * a value nested in a pretty-printed document. JSON text has no raw newline inside a string.
 */
function nested(value: unknown, pad: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`);
}

/**
 * The pieces of JSON.stringify(docs.length === 1 ? doc : docs, null, 2) + '\n', where doc is
 * `{ ...shell, events: [...events] }`.
 */
export function* timelinesJson(docs: readonly TimelineDoc[]): Generator<string> {
  const many = docs.length !== 1;
  const pad = many ? '  ' : '';
  let text = many ? (docs.length ? '[\n' : '[]') : '';
  for (const [i, doc] of docs.entries()) {
    // The shell with an empty events array, which is its last member: cut at that `[]`.
    const shell = nested({ ...doc.shell, events: [] }, pad);
    const at = shell.lastIndexOf('[]');
    text += (i > 0 ? ',\n' : '') + pad + shell.slice(0, at);
    let n = 0;
    for (const event of doc.events) {
      text += `${n++ > 0 ? ',' : '['}\n${pad}    ${nested(event, `${pad}    `)}`;
      if (text.length >= PIECE) {
        yield text;
        text = '';
      }
    }
    text += (n > 0 ? `\n${pad}  ]` : '[]') + shell.slice(at + 2);
  }
  yield text + (many && docs.length ? '\n]' : '') + '\n';
}
