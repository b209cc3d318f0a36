import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Never answer (to exercise client timeouts). */
  hang?: boolean;
}

/**
 * A test double of Slack's incoming-webhook endpoint on 127.0.0.1: answers with the scripted replies
 * in order (the last one repeats) and records every request body. `events` emits `request` once a
 * request's body has arrived and `hang` when it is left unanswered, so a test can act on it (fire
 * the client's timeout) without waiting on time.
 */
export async function startSlackDouble(replies: ScriptedReply[]) {
  const received: unknown[] = [];
  const events = new EventEmitter();
  let i = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body || 'null'));
      const reply = replies[Math.min(i++, replies.length - 1)]!;
      events.emit('request', received.length);
      if (reply.hang) return void events.emit('hang', received.length);
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Shaped like a real webhook URL so redaction is tested against the real pattern. */
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXXSECRETXXXX`,
    received,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
