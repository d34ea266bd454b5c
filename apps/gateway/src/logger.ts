import pino, { type DestinationStream } from "pino";

/**
 * JSON lines to `destination`, by default standard output written asynchronously: lines logged
 * while a write is under way go out together in the next one, so a busy gateway makes one write
 * for many request lines instead of one each. What is buffered is flushed when the process exits.
 */
export function createLogger(
  level: string,
  destination: DestinationStream = pino.destination({ dest: 1, sync: false }),
) {
  return pino(
    {
      level,
      base: { service: "gateway" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: nothing logs these, and if something ever does they are censored.
      redact: {
        paths: [
          "req.headers.cookie",
          "req.headers.authorization",
          "headers.cookie",
          "headers.authorization",
          "*.password",
          "*.token",
          "password",
          "token",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;
