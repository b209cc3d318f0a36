const compiled = new Map<string, RegExp>();

/**
 * Converts the glob forms Argo CD's directory include/exclude accept (`*`, `**`, `?`, `{a,b}`) to a
 * RegExp, once per glob: project rules match every resource against the same few destinations.
 */
export function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    re = compileGlob(glob);
    compiled.set(glob, re);
  }
  return re;
}

function compileGlob(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      re += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      re += ')';
      depth--;
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
