/** 403s in a row, after the key was accepted, that are still read as "over the rate limit" rather than a bad key. */
export const overLimitForbiddenInARow = 3;

/**
 * Tells DataStream's two 403s apart. The API answers 403 for an invalid key, and its older text says it answers 403
 * to a client over the rate limit too (now 429). A 403 before this process ever saw the key accepted is a bad key;
 * after that, a few 403s in a row are read as the legacy over-limit answer and retried; more mean the key stopped
 * working. Any accepted call resets the count.
 */
export class ForbiddenTracker {
  private keyAccepted = false;
  private inARow = 0;

  accepted(): void {
    this.keyAccepted = true;
    this.inARow = 0;
  }

  /** Records a 403; true when it should be retried as an over-limit answer. */
  forbiddenLooksLikeOverLimit(): boolean {
    this.inARow += 1;
    return this.keyAccepted && this.inARow <= overLimitForbiddenInARow;
  }
}
