import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  output: "standalone",
  // The monorepo root, so the standalone trace includes workspace packages and pnpm's store.
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@nexo/auth", "@nexo/crm"],
  typedRoutes: true,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
