import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docCommands, expectAsDocumented, openWorkspace, type DocsWorkspace } from './docs-workspace.ts';

let ws: DocsWorkspace;
beforeAll(() => {
  ws = openWorkspace();
});
afterAll(() => ws.close());

describe('every command in docs/quickstart.md works as written', () => {
  it('top to bottom, in a fresh copy, without a cluster', async () => {
    const commands = docCommands('docs/quickstart.md');
    expect(commands.length).toBeGreaterThan(15);
    expectAsDocumented(await ws.run(commands, ws.env()));
  });
});
