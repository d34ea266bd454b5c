import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { composeCommand, repoRoot, run } from "./repo";

const nexo = join(repoRoot, "scripts/nexo");
const dir = mkdtempSync(join(tmpdir(), "nexo-deploy-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in `docker` that answers the probes `setup` makes, so the test needs no engine.
const bin = join(dir, "bin");
const fakeDocker = join(bin, "docker");
run(["mkdir", "-p", bin]);
writeFileSync(
  fakeDocker,
  `#!/bin/sh
case "$1 $2" in
  "info "*) exit 0 ;;
  "compose version") echo "Docker Compose version v2.40.0"; exit 0 ;;
  "buildx version") echo "github.com/docker/buildx v0.29.0"; exit 0 ;;
esac
exit 1
`,
);
chmodSync(fakeDocker, 0o755);

const env = (extra: Record<string, string>) => ({
  PATH: `${bin}:${process.env.PATH}`,
  HOME: process.env.HOME,
  ...extra,
});

describe("scripts/nexo", () => {
  it("lists its commands and rejects unknown ones", () => {
    const help = run([nexo, "--help"]);
    expect(help.status).toBe(0);
    for (const command of ["setup", "build", "up", "down", "health", "stats", "logs", "backup", "restore", "upgrade"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    expect(run([nexo, "frobnicate"]).status).toBe(2);
  });

  it("setup writes a private .env with fresh secrets that compose.rpi.yml accepts, and keeps it after", () => {
    const envFile = join(dir, "first.env");
    const result = run([nexo, "setup"], { env: env({ NEXO_ENV_FILE: envFile, APP_URL: "https://crm.example.com" }) });
    expect(result.status, result.stderr).toBe(0);
    const text = readFileSync(envFile, "utf8");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const values = Object.fromEntries(
      text
        .split("\n")
        .filter((l) => /^\w+=/.test(l))
        .map((l) => l.split(/=(.*)/s, 2) as [string, string]),
    );
    expect(values.APP_URL).toBe("https://crm.example.com");
    expect(values.POSTGRES_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(values.REDIS_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(values.SESSION_SECRET?.length).toBeGreaterThanOrEqual(32);

    const other = join(dir, "second.env");
    run([nexo, "setup"], { env: env({ NEXO_ENV_FILE: other }) });
    expect(readFileSync(other, "utf8")).not.toContain(values.POSTGRES_PASSWORD);

    // A second setup keeps the first file: the database password is fixed at first start.
    run([nexo, "setup"], { env: env({ NEXO_ENV_FILE: envFile }) });
    expect(readFileSync(envFile, "utf8")).toBe(text);

    const compose = composeCommand();
    if (!compose) throw new Error("no docker-compose / docker compose");
    const config = run(
      [...compose, "--project-directory", repoRoot, "--env-file", envFile, "-f", "compose.rpi.yml", "config", "-q"],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    expect(config.status, config.stderr).toBe(0);
  });

  it("restore asks before replacing the database", () => {
    const envFile = join(dir, "restore.env");
    writeFileSync(envFile, "POSTGRES_PASSWORD=x\n");
    const backup = join(dir, "nexo-20250101-000000.dump");
    writeFileSync(backup, "not empty");
    const result = run(["bash", "-c", `echo no | "${nexo}" restore "${backup}"`], {
      env: env({ NEXO_ENV_FILE: envFile }),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Type "restore" to continue');
    expect(result.stderr).toContain("aborted");
  });

  it("restore brings gateway and web back up whether it succeeds or fails, committing only a whole backup", () => {
    // A stand-in compose: logs each call; its pg_restore writes SQL and succeeds or fails as told;
    // its psql keeps what it was given. A stand-in podman reports every container healthy.
    const calls = join(dir, "compose-calls.log");
    const given = join(dir, "psql-input.sql");
    const fakeCompose = join(bin, "fake-compose");
    writeFileSync(
      fakeCompose,
      `#!/bin/sh
while [ "$1" != "" ] && [ "$1" != stop ] && [ "$1" != up ] && [ "$1" != exec ] && [ "$1" != ps ]; do shift; done
echo "$*" >> "${calls}"
case "$*" in
  *" pg_restore "*) cat >/dev/null; echo "create table restored (id int);"; exit "$PG_RESTORE_STATUS" ;;
  *" psql "*"-c "*) exit 0 ;;
  *" psql "*) cat > "${given}"; exit 0 ;;
  "ps -q "*) echo "id-$3" ;;
esac
exit 0
`,
    );
    chmodSync(fakeCompose, 0o755);
    writeFileSync(join(bin, "podman"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, "podman"), 0o755);
    const envFile = join(dir, "restore-run.env");
    writeFileSync(envFile, "POSTGRES_PASSWORD=x\n");
    const backup = join(dir, "nexo-20250102-000000.dump");
    writeFileSync(backup, "an archive");
    const restore = (status: number) => {
      writeFileSync(calls, "");
      return run([nexo, "restore", backup, "--yes"], {
        env: env({
          NEXO_ENV_FILE: envFile,
          NEXO_COMPOSE: fakeCompose,
          NEXO_HEALTHCHECK_RUNNER: "podman",
          PG_RESTORE_STATUS: String(status),
        }),
      });
    };
    const steps = () =>
      readFileSync(calls, "utf8")
        .trim()
        .split("\n")
        .filter((line) => !line.startsWith("ps "))
        .map((line) => line.split(" ").slice(0, 4).join(" "));

    const failed = restore(1);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/restore failed; the database is unchanged/);
    const [stop, first, second, ...after] = steps();
    expect(stop).toBe("stop web gateway");
    // pg_restore and psql run side by side (a pipe): either may log first.
    expect([first, second].sort()).toEqual(["exec -T postgres pg_restore", "exec -T postgres psql"]);
    expect(after).toEqual(["up -d --no-deps gateway", "up -d --no-deps web"]);
    // The transaction was opened and never committed: Postgres rolls it back.
    expect(readFileSync(given, "utf8")).toMatch(/^begin;/);
    expect(readFileSync(given, "utf8")).not.toMatch(/commit;/);

    const done = restore(0);
    expect(done.status, done.stderr).toBe(0);
    expect(readFileSync(given, "utf8")).toMatch(/^begin;[\s\S]*create table restored \(id int\);\ncommit;\n$/);
    expect(steps()).toContain("up -d --no-deps gateway");
  });

  it("hands the database password to pg_dump as PGPASSWORD, decoded, never on its command line", () => {
    const seen = join(dir, "pg_dump-seen.txt");
    writeFileSync(
      join(bin, "pg_dump"),
      `#!/bin/sh\nprintf 'args: %s\\npassword: %s\\n' "$*" "$PGPASSWORD" > "${seen}"\necho archive\n`,
    );
    chmodSync(join(bin, "pg_dump"), 0o755);
    const result = run([nexo, "backup"], {
      env: env({
        NEXO_DATABASE_URL: "postgres://nexo:s3cr%40t%2F%25x@db.example:5432/nexo?sslmode=require",
        NEXO_BACKUP_DIR: join(dir, "password-backups"),
      }),
    });
    expect(result.status, result.stderr).toBe(0);
    const [args, password] = readFileSync(seen, "utf8").trim().split("\n");
    expect(args).toContain("--dbname=postgres://nexo@db.example:5432/nexo?sslmode=require");
    expect(args).not.toContain("s3cr");
    expect(password).toBe("password: s3cr@t/%x");
    expect(`${result.stdout}${result.stderr}`).not.toContain("s3cr");
  });
});
