/**
 * One file of a run. `absent` means ONC said there is no file at that index (204/404), which ends the list of a run
 * whose file count was not known.
 */
export const FileStatus = {
  pending: 'pending',
  downloading: 'downloading',
  complete: 'complete',
  absent: 'absent',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type FileStatus = (typeof FileStatus)[keyof typeof FileStatus];

export const fileTransitions: Record<FileStatus, readonly FileStatus[]> = {
  pending: ['downloading', 'complete', 'absent', 'failed', 'cancelled'],
  downloading: ['pending', 'complete', 'absent', 'failed', 'cancelled'],
  complete: [],
  absent: [],
  failed: ['pending'],
  cancelled: ['pending'],
};

export const terminalFileStatuses: readonly FileStatus[] = ['complete', 'absent', 'failed', 'cancelled'];
