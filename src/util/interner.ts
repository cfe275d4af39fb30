/**
 * One copy of each string a large in-memory set repeats: every row SQLite gives holds new strings,
 * so 625k objects or signals of one kind and namespace held 625k copies of "Pod" and "default"
 * (tens of bytes each). Only for strings with few distinct values (kinds, namespaces, hosts,
 * reasons): for unique ones (names, UIDs) an entry here costs more than the copy it saves.
 */
export class Interner {
  private readonly strings = new Map<string, string>();

  /** The one copy of `text` (null and undefined pass through). */
  of<T extends string | null | undefined>(text: T): T {
    if (typeof text !== 'string') return text;
    const had = this.strings.get(text);
    if (had !== undefined) return had as T;
    this.strings.set(text, text);
    return text;
  }

  /** How many distinct strings it holds. */
  get size(): number {
    return this.strings.size;
  }
}
