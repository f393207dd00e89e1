import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A logger whose output the test can read back, to check what is (and is not) logged. */
export function captureLogs(): { logger: Logger; text: () => string } {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), text: () => written };
}
