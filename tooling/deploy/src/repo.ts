import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root: every deployment file is addressed relative to it. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, `file://${repoRoot}`), "utf8");
}

/** `docker-compose` (v1) where installed, else the `docker compose` plugin, else undefined. */
export function composeCommand(): string[] | undefined {
  for (const candidate of [["docker-compose"], ["docker", "compose"]]) {
    const [bin, ...args] = candidate as [string, ...string[]];
    const probe = spawnSync(bin, [...args, "version"], { stdio: "ignore" });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export function run(command: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const [bin, ...args] = command as [string, ...string[]];
  return spawnSync(bin, args, { cwd: options.cwd ?? repoRoot, env: options.env, encoding: "utf8" });
}

export function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" });
}
