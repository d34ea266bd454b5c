import { describe, expect, it } from "vitest";
import { finalStage, instructions, parseDockerfile, resolveFrom } from "./dockerfile";
import { readRepoFile } from "./repo";

describe.each(["gateway", "web"])("docker/%s.Dockerfile", (app) => {
  const text = readRepoFile(`docker/${app}.Dockerfile`);
  const file = parseDockerfile(text);
  const runtime = finalStage(file);

  it("is multi-stage and ends on the Node 24 LTS slim image", () => {
    expect(file.stages.length).toBeGreaterThanOrEqual(4);
    expect(resolveFrom(file, runtime)).toBe("node:24-bookworm-slim");
  });

  it("prunes the workspace with turbo and installs from the lockfile with a cached pnpm store", () => {
    const runs = file.stages.flatMap((s) => instructions(s, "RUN"));
    expect(runs.some((r) => /turbo prune @nexo\/\S+ --docker/.test(r))).toBe(true);
    expect(
      runs.some((r) => /--mount=type=cache,[^ ]*target=\/pnpm\/store/.test(r) && /--frozen-lockfile/.test(r)),
    ).toBe(true);
  });

  it("runs as a non-root user", () => {
    const users = instructions(runtime, "USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it("has tini as PID 1", () => {
    expect(instructions(runtime, "ENTRYPOINT").at(-1)).toMatch(/^\["\/usr\/bin\/tini", "--"\]$/);
    expect(instructions(runtime, "RUN").some((r) => /apt-get install[^&]*\btini\b/.test(r))).toBe(true);
  });

  it("has a HEALTHCHECK that needs neither curl nor wget", () => {
    const [check] = instructions(runtime, "HEALTHCHECK");
    expect(check).toBeDefined();
    expect(check).toMatch(/CMD \["node", "-e",/);
    expect(check).not.toMatch(/curl|wget/);
    expect(check).toContain("/healthz");
  });

  it("copies only build output into the runtime stage", () => {
    const copies = instructions(runtime, "COPY");
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy).toMatch(/^--from=build /);
    expect(instructions(runtime, "ADD")).toEqual([]);
  });

  it("carries OCI labels", () => {
    const labels = instructions(runtime, "LABEL").join(" ");
    for (const key of ["title", "description", "source", "version", "revision", "created", "licenses"]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
  });
});

describe("the gateway image", () => {
  const text = readRepoFile("docker/gateway.Dockerfile");
  it("ships argon2's native package but not PGlite", () => {
    expect(text).toMatch(/@node-rs\/argon2-linux-\*-gnu/);
    expect(text).not.toMatch(/cp[^\n]*pglite/i);
    expect(text).toContain("apps/gateway/dist/drizzle");
  });
});

describe("the web image", () => {
  const text = readRepoFile("docker/web.Dockerfile");
  it("starts through serve.mjs, so a browser cannot choose the client address the gateway sees", () => {
    expect(text).toMatch(/^CMD \["node", "apps\/web\/serve\.mjs"\]$/m);
  });
});

describe("the gateway image", () => {
  const runtime = finalStage(parseDockerfile(readRepoFile("docker/gateway.Dockerfile")));
  const words = JSON.parse(instructions(runtime, "CMD").at(-1) ?? "[]") as string[];
  it("starts main.mjs with twofold old-generation growth, which NODE_OPTIONS cannot carry", () => {
    expect(words).toEqual(["node", "--heap-growing-percent=100", "main.mjs"]);
  });
  it("is started the same way by `pnpm start`", () => {
    const start = (JSON.parse(readRepoFile("apps/gateway/package.json")) as { scripts: { start: string } }).scripts
      .start;
    expect(start).toBe(`node ${words.slice(1, -1).join(" ")} dist/main.mjs`);
  });
});

describe(".dockerignore", () => {
  const lines = readRepoFile(".dockerignore").split("\n");
  it("keeps host builds, dependencies and secrets out of the build context", () => {
    for (const entry of ["**/node_modules", "**/.next", "**/dist", ".env", ".git"]) expect(lines).toContain(entry);
  });
});
