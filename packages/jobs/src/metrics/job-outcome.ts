/**
 * How one run of a job ended, as the job metrics count it:
 * - `completed`: it did its work (or found nothing left to do);
 * - `waiting`: its service is not ready, so the job waits as a delayed job (ONC processing a product);
 * - `deferred`: not its turn here (another job holds its row's lease, or this worker lacks its source);
 * - `retried`: a failure that another attempt may cure;
 * - `failed`: failed for good (its last attempt, or a refusal no retry can cure);
 * - `cancelled`: its order was cancelled while it ran;
 * - `handed-back`: the worker shut down and gave it back to the queue;
 * - `skipped`: a job this worker cannot run (no data, or a kind it does not know).
 */
export type JobOutcome =
  'completed' | 'waiting' | 'deferred' | 'retried' | 'failed' | 'cancelled' | 'handed-back' | 'skipped';
