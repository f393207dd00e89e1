import type { Behaviour } from './behaviour.js';
import type { FileSpec } from './file-content.js';
import type { OncErrorBody, OncErrorEntry } from './onc-errors.js';

/** How a file is sent: the request's behaviour for names, ranges and speed. */
export type FileDelivery = Pick<Behaviour, 'filenameQuoting' | 'rangeSupport' | 'bandwidthBytesPerSec'>;

/**
 * What a method handler decides to answer, before the HTTP layer writes it (and before any injected fault
 * changes it). Handlers never touch the socket.
 */
/** An answer with a JSON body or no body. */
export type PlainReply = { kind: 'json'; status: number; body: unknown } | { kind: 'empty'; status: number };

/** A file to send. */
export interface FileReply {
  kind: 'file';
  file: FileSpec;
  delivery: FileDelivery;
  /**
   * Called once the body through the file's last byte has been handed to the operating system — ONC's
   * "downloaded successfully". Not called for HEAD, for aborted or broken sends, or for a range that stops short.
   */
  onSent: () => void;
}

/**
 * What a method handler decides to answer, before the HTTP layer writes it (and before any injected fault
 * changes it). Handlers never touch the socket.
 */
export type Reply = PlainReply | FileReply;

export const jsonReply = (status: number, body: unknown): PlainReply => ({ kind: 'json', status, body });

export const errorReply = (status: 400 | 401, ...errors: OncErrorEntry[]): PlainReply => {
  const body: OncErrorBody = { errors };
  return jsonReply(status, body);
};

export const emptyReply = (status: number): PlainReply => ({ kind: 'empty', status });
