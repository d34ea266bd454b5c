import { spawn } from "node:child_process";

/**
 * Runs a program to its end and resolves with what it printed on standard output; rejects, with its
 * output, when it cannot start or exits with a non-zero code.
 */
export function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}:\n${err}${out}`)),
    );
  });
}
