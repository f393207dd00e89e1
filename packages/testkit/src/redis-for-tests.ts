import { GenericContainer, type StartedTestContainer } from 'testcontainers';

let started: Promise<{ url: string; container?: StartedTestContainer }> | undefined;

/**
 * The Redis the tests talk to: `REDIS_URL` when it is set (CI and machines without Docker), otherwise a
 * throwaway container from testcontainers. Tests never flush it: each one works under its own key prefix.
 */
export async function redisUrlForTests(): Promise<string> {
  const fromEnv = process.env['REDIS_URL'];
  if (fromEnv) return fromEnv;
  started ??= startContainer();
  return (await started).url;
}

async function startContainer(): Promise<{ url: string; container: StartedTestContainer }> {
  try {
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return { url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`, container };
  } catch (error) {
    throw new Error(
      'No REDIS_URL is set and testcontainers could not start Redis (is a Docker engine running?). ' +
        'Set REDIS_URL=redis://127.0.0.1:6379 to use a local Redis.',
      { cause: error },
    );
  }
}
