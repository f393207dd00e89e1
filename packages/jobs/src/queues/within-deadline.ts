/**
 * Waits for `work` at most `timeoutMs`: 'done' when it settled in time (its rejection is rethrown), 'late' when it had
 * not. Late work is not cancelled (a Redis client that is reconnecting sends it once it can); its eventual failure is
 * handed to `onLateFailure` instead of becoming an unhandled rejection.
 */
export async function withinDeadline(
  work: Promise<unknown>,
  timeoutMs: number,
  onLateFailure: (error: unknown) => void = () => undefined,
): Promise<'done' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      late = true;
      resolve('late');
    }, timeoutMs);
  });
  const settled = work.then(
    () => 'done' as const,
    (error: unknown) => {
      if (late) {
        onLateFailure(error);
        return 'late' as const;
      }
      throw error;
    },
  );
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
