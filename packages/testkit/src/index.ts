export { redisUrlForTests } from './redis-for-tests.js';
export { uniquePrefix, deleteKeysWithPrefix } from './unique-prefix.js';
export { makeTempDir } from './temp-dir.js';
export { waitFor } from './wait-for.js';
export { ctdAtBarkleyCanyon, ctdWindowsEndingInNodata, sha256OfFile } from './fixtures.js';
export { closedPort } from './closed-port.js';
export {
  startWebhookReceiver,
  verifyStandardWebhook,
  type WebhookReceiver,
  type ReceivedWebhook,
} from './webhook-receiver.js';
export {
  createTestDatabase,
  postgresServerUrlForTests,
  testDatabasePrefix,
  type TestDatabase,
} from './postgres-for-tests.js';
export { parsePrometheusText, type PrometheusExposition, type PrometheusSample } from './prometheus-text.js';
export { freePort } from './free-port.js';
export {
  createTestStateStore,
  testDialect,
  rawRows,
  rawRun,
  type TestDialect,
  type TestStateStore,
  type RawQueryable,
} from './test-state-store.js';
