import "server-only";
import { z } from "zod";

/**
 * Server-side configuration, read when the server process loads this module (never at build
 * time), so one built image serves any deployment's gateway.
 */
export const env = z
  .object({
    GATEWAY_URL: z
      .url({ protocol: /^https?$/, error: "GATEWAY_URL must be an http(s) URL, e.g. http://gateway:4000" })
      .default("http://127.0.0.1:4000")
      .transform((url) => url.replace(/\/+$/, "")),
  })
  .parse(process.env);
