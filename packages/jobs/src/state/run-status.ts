import type { RunStatus as OncRunStatus } from '@onc-orders/onc-client';

/** Our copy of ONC's view of a run; ONC decides, we only record, so every change ONC reports is legal. */
export type RunStatus = OncRunStatus;
