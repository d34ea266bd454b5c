import pino, { type DestinationStream } from "pino";

export function createLogger(level: string, destination?: DestinationStream) {
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
