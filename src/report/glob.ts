/**
 * Globs over object names and incident kinds, as expectation files write them: `*` matches
 * within one path segment, `**` across segments, `?` one character; case-insensitive (kinds are
 * written Pod or pod). Compiled to an anchored regex with no nested quantifiers, so matching is
 * linear in the name.
 */
export function compileGlob(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        while (pattern[i + 1] === '*') i++;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}
