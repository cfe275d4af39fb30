/**
 * `ktrail completion bash|zsh|fish`: shell completion generated from commander's own command
 * tree (commands, their flags, the values of flags with choices), so that it cannot drift from
 * the commands. Flags whose values commander does not list (--component takes a comma list) get
 * theirs from `values`.
 */
import type { Command, Option } from 'commander';

export interface FlagSpec {
  long?: string;
  short?: string;
  takesValue: boolean;
  values?: readonly string[];
  description: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  flags: FlagSpec[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

function flagSpec(o: Option, values: Record<string, readonly string[]>): FlagSpec {
  const spec: FlagSpec = { takesValue: o.required || o.optional, description: o.description };
  if (o.long) spec.long = o.long;
  if (o.short) spec.short = o.short;
  const list = o.argChoices ?? (o.long ? values[o.long] : undefined);
  if (list) spec.values = list;
  return spec;
}

/** The commands (the default one included, under its name) with their flags. */
export function commandSpecs(program: Command, values: Record<string, readonly string[]> = {}): CommandSpec[] {
  return program.commands.map((c) => ({ name: c.name(), description: c.description(), flags: c.options.map((o) => flagSpec(o, values)) }));
}

/** Words safe inside single quotes and shell word lists (the names are ours, but still). */
const safe = (s: string): string => s.replace(/[^\w@%+=:,./ -]/g, '');

function bash(specs: readonly CommandSpec[]): string {
  const names = specs.map((s) => s.name).join(' ');
  const flagCases = specs
    .map((s) => `      ${s.name}) flags='${s.flags.flatMap((f) => [f.long, f.short]).filter(Boolean).join(' ')}' ;;`)
    .join('\n');
  // Per command: `--output` takes other values in read than in query, `--json` a file only in ci.
  const valueCases: string[] = [];
  const fileFlags: string[] = [];
  for (const s of specs) {
    for (const f of s.flags) {
      const keys = [f.long, f.short].filter(Boolean).map((n) => `${s.name}:${n}`);
      if (keys.length === 0) continue;
      if (f.values) valueCases.push(`    ${keys.join('|')}) COMPREPLY=($(compgen -W '${f.values.map(safe).join(' ')}' -- "\${cur##*,}")); return ;;`);
      else if (f.takesValue) fileFlags.push(...keys);
    }
  }
  return `# ktrail completion for bash: source <(ktrail completion bash)
_ktrail() {
  local cur prev cmd w flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=read
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case " ${names} " in *" $w "*) cmd="$w"; break ;; esac
  done
  case "$cmd:$prev" in
${valueCases.join('\n')}
    ${fileFlags.join('|') || 'never:'}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${flagCases}
    esac
    COMPREPLY=($(compgen -W "$flags --help" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W '${names}' -- "$cur") $(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _ktrail ktrail
`;
}

function zsh(specs: readonly CommandSpec[]): string {
  // zsh runs bash completion functions through bashcompinit: one script, the same behaviour.
  return `#compdef ktrail
# ktrail completion for zsh: source <(ktrail completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(specs).split('\n').slice(1).join('\n')}`;
}

function fish(specs: readonly CommandSpec[]): string {
  const names = specs.map((s) => s.name).join(' ');
  const lines = ['# ktrail completion for fish: ktrail completion fish | source', 'complete -c ktrail -f'];
  for (const s of specs) lines.push(`complete -c ktrail -n '__fish_use_subcommand' -a '${s.name}' -d '${safe(s.description)}'`);
  for (const s of specs) {
    // The default command's flags also apply before any command name.
    const when = s.name === 'read' ? `not __fish_seen_subcommand_from ${names}; or __fish_seen_subcommand_from read` : `__fish_seen_subcommand_from ${s.name}`;
    for (const f of s.flags) {
      const parts = [`complete -c ktrail -n '${when}'`];
      if (f.long) parts.push(`-l ${f.long.replace(/^--/, '')}`);
      if (f.short) parts.push(`-s ${f.short.replace(/^-/, '')}`);
      if (f.takesValue) parts.push('-r');
      if (f.values) parts.push(`-a '${f.values.map(safe).join(' ')}'`);
      else if (f.takesValue) parts.push('-F');
      parts.push(`-d '${safe(f.description)}'`);
      lines.push(parts.join(' '));
    }
  }
  lines.push(`complete -c ktrail -n 'not __fish_use_subcommand' -F`);
  return lines.join('\n') + '\n';
}

export function completionScript(shell: Shell, specs: readonly CommandSpec[]): string {
  return shell === 'bash' ? bash(specs) : shell === 'zsh' ? zsh(specs) : fish(specs);
}
