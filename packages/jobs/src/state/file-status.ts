/**
 * One file of a product. `absent` means the service said there is no such file after all (ONC: no file at that
 * index, which ends the list of a run whose file count was not known).
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

/** Files still to be fetched: waiting for their job, or being fetched. */
export const openFileStatuses: readonly FileStatus[] = ['pending', 'downloading'];
