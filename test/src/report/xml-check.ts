/**
 * A small XML 1.0 well-formedness check and tree reader for the JUnit tests: elements nest and
 * close, attribute values are quoted and hold no `<`, every `&` starts a known entity or a
 * character reference, nothing follows the root element. Not a general parser (no DTDs, no
 * CDATA, no processing instructions past the declaration): the JUnit writer emits none.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  return text.replace(/&([^;]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (name in ENTITY) return ENTITY[name]!;
    const num = /^#(?:x([0-9a-fA-F]+)|(\d+))$/.exec(name);
    if (num) return String.fromCodePoint(num[1] ? parseInt(num[1], 16) : Number(num[2]));
    throw new Error(`unknown entity &${name}; at ${where}`);
  });
}

 
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('a character XML forbids');
  let i = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const NAME = /[A-Za-z_][\w.-]*/y;
  while (i < xml.length) {
    if (xml[i] === '<') {
      if (xml.startsWith('</', i)) {
        NAME.lastIndex = i + 2;
        const m = NAME.exec(xml);
        if (!m) throw new Error(`bad closing tag at ${i}`);
        const top = stack.pop();
        if (!top || top.name !== m[0]) throw new Error(`</${m[0]}> at ${i} does not close <${top?.name}>`);
        i = NAME.lastIndex;
        while (/\s/.test(xml[i] ?? '')) i++;
        if (xml[i] !== '>') throw new Error(`bad closing tag at ${i}`);
        i++;
        continue;
      }
      NAME.lastIndex = i + 1;
      const m = NAME.exec(xml);
      if (!m) throw new Error(`bad tag at ${i}`);
      if (root && stack.length === 0) throw new Error(`content after the root element at ${i}`);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else root = el;
      i = NAME.lastIndex;
      for (;;) {
        while (/\s/.test(xml[i] ?? '')) i++;
        if (xml.startsWith('/>', i)) {
          i += 2;
          break;
        }
        if (xml[i] === '>') {
          i++;
          stack.push(el);
          break;
        }
        NAME.lastIndex = i;
        const a = NAME.exec(xml);
        if (!a || xml[NAME.lastIndex] !== '=' || xml[NAME.lastIndex + 1] !== '"') throw new Error(`bad attribute at ${i}`);
        const end = xml.indexOf('"', NAME.lastIndex + 2);
        const raw = xml.slice(NAME.lastIndex + 2, end);
        if (end < 0 || raw.includes('<')) throw new Error(`bad attribute value at ${i}`);
        if (a[0] in el.attrs) throw new Error(`repeated attribute ${a[0]} at ${i}`);
        el.attrs[a[0]] = decode(raw, i);
        i = end + 1;
      }
      continue;
    }
    const next = xml.indexOf('<', i);
    const text = xml.slice(i, next < 0 ? xml.length : next);
    if (stack.length === 0) {
      if (text.trim()) throw new Error(`text outside the root element at ${i}`);
    } else {
      if (text.includes('>') && text.includes(']]>')) throw new Error(`]]> in text at ${i}`);
      stack[stack.length - 1]!.text += decode(text, i);
    }
    i = next < 0 ? xml.length : next;
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` below `el`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
