/**
 * Redis-side figures for a benchmark window: CPU the server used and commands it processed. These are server-wide
 * (another user of the same Redis shows up in them), so they are printed as such. Keys are only ever deleted by
 * prefix, never flushed.
 */
import type { Redis } from 'ioredis';

export interface RedisSnapshot {
  cpuSeconds: number;
  commands: number;
  callsByCommand: Map<string, number>;
}

function field(info: string, name: string): number {
  const match = new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info);
  return match?.[1] ? Number(match[1]) : NaN;
}

export async function redisSnapshot(redis: Redis): Promise<RedisSnapshot> {
  const [cpu, stats, commandStats] = await Promise.all([
    redis.info('cpu'),
    redis.info('stats'),
    redis.info('commandstats'),
  ]);
  const callsByCommand = new Map<string, number>();
  for (const match of commandStats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] && match[2]) callsByCommand.set(match[1], Number(match[2]));
  }
  return {
    cpuSeconds: field(cpu, 'used_cpu_sys') + field(cpu, 'used_cpu_user'),
    commands: field(stats, 'total_commands_processed'),
    callsByCommand,
  };
}

export function redisDelta(before: RedisSnapshot, after: RedisSnapshot) {
  const byCommand = [...after.callsByCommand]
    .map(([command, calls]) => ({ command, calls: calls - (before.callsByCommand.get(command) ?? 0) }))
    .filter((entry) => entry.calls > 0)
    .sort((a, b) => b.calls - a.calls);
  return { cpuSeconds: after.cpuSeconds - before.cpuSeconds, commands: after.commands - before.commands, byCommand };
}
