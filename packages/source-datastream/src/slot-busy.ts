/**
 * The fleet's one DataStream slot stayed taken for as long as a step was willing to wait. Not a failure: the step
 * gives its worker slot back and comes again later, so partitions queued behind one another never fill every worker's
 * job slots (other orders, and other sources, keep moving).
 */
export class SlotBusy extends Error {
  override readonly name = 'SlotBusy';
}
