/** Where the CLI writes: results on stdout, progress on stderr in Alembic's `INFO  [logger] …` style. */
export interface CliOutput {
  readonly result: (line: string) => void;
  readonly info: (line: string) => void;
  readonly error: (line: string) => void;
}

export const processOutput: CliOutput = {
  result: (line) => process.stdout.write(`${line}\n`),
  info: (line) => process.stderr.write(`INFO  [charla.migration] ${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};
