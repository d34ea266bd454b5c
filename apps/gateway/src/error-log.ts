/**
 * What of a failed procedure goes to the log: the error chain's types, codes and messages, with
 * query parameters cut off (they can hold personal data or password hashes) and no driver `detail`
 * (it quotes row values). The innermost error keeps its stack for debugging.
 */
export function loggableError(error: unknown) {
  const chain: { type: string; message: string; code?: string }[] = [];
  let current: unknown = error;
  let innermost: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const message = typeof e.message === "string" ? e.message.split("\nparams:")[0]!.slice(0, 500) : String(current);
    chain.push({
      type: typeof e.name === "string" ? e.name : typeof current,
      message,
      ...(typeof e.code === "string" ? { code: e.code } : {}),
    });
    innermost = current;
    current = e.cause;
  }
  const stack = (innermost as { stack?: unknown }).stack;
  return { chain, stack: typeof stack === "string" ? stack.split("\n").slice(1, 8).join("\n") : undefined };
}
