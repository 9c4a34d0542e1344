import { readFileSync } from "node:fs";
import { EXIT, UsageError, type CliIo, type CommandEntry } from "./command.ts";
import { commands } from "./commands/index.ts";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "clusterlab: practise distributed system design against a deterministic simulated cluster",
    "",
    "usage: clusterlab <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "options:",
    "  --help, -h     show help (also: clusterlab <command> --help)",
    "  --version, -v  print the version",
    "",
  ].join("\n");
}

/**
 * A usage's first paragraph (its "usage:" lines): what a usage error prints under the error, so the error
 * is not lost above a screen of options that --help shows.
 */
function synopsis(usage: string): string {
  const end = usage.indexOf("\n\n");
  return `${end === -1 ? usage : usage.slice(0, end)}\n`;
}

export function defaultIo(): CliIo {
  const isTty = Boolean(process.stdout.isTTY);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty,
    color: isTty && !process.env.NO_COLOR,
    cwd: process.cwd(),
  };
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout(help());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const entry: CommandEntry | undefined = commands.find((c) => c.name === first);
  if (!entry) {
    io.stderr(`clusterlab: unknown command "${first}"\n\n${help()}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`clusterlab ${command.name}: ${error.message}\n\n${synopsis(command.usage)}\nclusterlab ${command.name} --help lists every option.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
