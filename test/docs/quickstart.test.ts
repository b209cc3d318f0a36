import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandTitle,
  docCommands,
  expectAsDocumented,
  openWorkspace,
  type DocsWorkspace,
} from './docs-workspace.ts';

// One test per command, in order, in one copy: each builds on what the ones before it did.
const commands = docCommands('docs/quickstart.md');
let ws: DocsWorkspace;
beforeAll(() => {
  ws = openWorkspace();
});
afterAll(() => ws.close());

describe('every command in docs/quickstart.md works as written, top to bottom, without a cluster', () => {
  it('shows enough commands to be the quickstart', () => {
    expect(commands.length).toBeGreaterThan(15);
  });
  for (const c of commands)
    it(commandTitle(c), async () => {
      expectAsDocumented(await ws.run(c, ws.env()));
    });
});
