/**
 * Shell completion from commander's command tree: bash's function is run for real (COMP_WORDS
 * set as bash sets them) and must offer the commands, a command's flags, the components, the
 * scenarios and a flag's own choices; zsh and fish scripts are checked for what they declare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoRoot, cliPath } from '../../helpers/paths.js';

const main = cliPath();

/** The commands as `ktrail --help` lists them (main.ts runs the CLI when imported). */
function commandNames(): string[] {
  const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' }).stdout;
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
}

function script(shell: string): string {
  const r = spawnSync(process.execPath, [main, 'completion', shell], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** What bash would offer for the words typed so far (the last one being completed). */
function complete(words: string[]): string[] {
  const body = `${script('bash')}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ktrail; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', body], { encoding: 'utf8', cwd: repoRoot });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

test('completion bash: commands, flags, components, scenarios and choices, from the command tree', () => {
  const commands = commandNames();
  assert.ok(commands.length >= 12, commands.join(' '));
  const first = complete(['ktrail', '']);
  for (const c of commands) assert.ok(first.includes(c), c);
  assert.ok(complete(['ktrail', 'tr']).includes('trace'));
  assert.deepEqual(complete(['ktrail', 'view', '--fo']), ['--follow']);
  assert.ok(complete(['ktrail', 'ingest', '--f']).includes('--fix-skew'));
  assert.ok(complete(['ktrail', '--l']).includes('--last'), 'the default command (read) takes its flags before any command');
  assert.deepEqual(complete(['ktrail', 'read', '-o', '']), ['text', 'json', 'raw']);
  assert.deepEqual(complete(['ktrail', 'query', '-o', '']), ['text', 'json']);
  assert.ok(complete(['ktrail', '--component', 'kube-']).includes('kube-scheduler'));
  assert.deepEqual(complete(['ktrail', '--component', 'etcd,cored']), ['coredns'], 'a comma list completes its last item');
  assert.ok(complete(['ktrail', 'demo', '--scenario', 'cr']).includes('crashloop'));
  assert.ok(complete(['ktrail', 'ci', '--fail-on', '']).includes('warn'));
});

test('completion zsh and fish: the same tree', () => {
  const zsh = script('zsh');
  assert.match(zsh, /^#compdef ktrail/);
  assert.match(zsh, /bashcompinit/);
  assert.match(zsh, /complete -o filenames -F _ktrail ktrail/);
  const fish = script('fish');
  for (const name of commandNames()) assert.match(fish, new RegExp(`-a '${name}' -d`), name);
  assert.match(fish, /__fish_seen_subcommand_from demo' -l scenario -r -a '[^']*mixed[^']*'/);
  assert.match(fish, /-l component -r -a 'etcd kube-apiserver/);
  const bad = spawnSync(process.execPath, [main, 'completion', 'tcsh'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});
