import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeHelmOptions {
  /** What `helm template` prints. */
  output?: string;
  /** Make `helm template` fail with this message. */
  fail?: string;
  /** Charts `helm pull` can fetch: chart name → file → text. */
  charts?: Record<string, Record<string, string>>;
}

/**
 * A stand-in for helm, for tests only: a shell script named `helm` that records every call's
 * arguments; `pull` copies a chart the test provided into --destination (or fails as helm does
 * for an unknown chart), `template` prints canned YAML (or fails).
 */
export function fakeHelm(opts: FakeHelmOptions = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-helm-'));
  const log = path.join(dir, 'calls.log');
  const output = path.join(dir, 'template.yaml');
  writeFileSync(output, opts.output ?? '');
  for (const [chart, files] of Object.entries(opts.charts ?? {}))
    for (const [file, text] of Object.entries(files)) {
      const target = path.join(dir, 'charts', chart, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  const script = path.join(dir, 'helm');
  writeFileSync(
    script,
    `#!/bin/sh
sep=''
for a in "$@"; do printf '%s%s' "$sep" "$a" >> "${log}"; sep=$(printf '\\037'); done
printf '\\n' >> "${log}"
case "$1" in
  pull)
    dest=''; chart=''; prev=''
    for a in "$@"; do
      case "$prev" in
        --destination) dest="$a" ;;
        --version|--repo) ;;
        *) case "$a" in pull|-*) ;; *) chart="\${a##*/}" ;; esac ;;
      esac
      prev="$a"
    done
    if [ ! -d "${dir}/charts/$chart" ]; then echo "Error: chart \\"$chart\\" not found in repository" >&2; exit 1; fi
    cp -R "${dir}/charts/$chart" "$dest/$chart"
    ;;
  template)
    ${opts.fail ? `echo ${JSON.stringify(`Error: ${opts.fail}`)} >&2; exit 1` : `cat "${output}"`}
    ;;
esac
`,
  );
  chmodSync(script, 0o755);
  return {
    dir,
    /** A process environment in which this fake is the helm on PATH. */
    env: { ...process.env, HELM: undefined, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    /** Every call so far, as argument lists. */
    calls(): string[][] {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\x1f'));
    },
    setOutput: (text: string) => writeFileSync(output, text),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
