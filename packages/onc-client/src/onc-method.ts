/** The six calls of ONC's dataProductDelivery service. Every one is an HTTP GET. */
export type OncMethod = 'request' | 'run' | 'status' | 'download' | 'cancel' | 'restart';
