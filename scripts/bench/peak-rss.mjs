// Runs one command as its entry point would, then reports the process's peak memory on stderr:
// `npm run bench` starts it as a child so each measured run has a process of its own.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCommand } from '../compiled-library.mjs';

const [command, ...args] = process.argv.slice(2);
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', `${command}.mjs`);
process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
process.argv = [process.argv[0], script, ...args];
await runCommand(command, pathToFileURL(script).href);
