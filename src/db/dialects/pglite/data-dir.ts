import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { CharlaError } from '../../../errors/charla-error.js';

/** The data directory, if it exists, is a directory, and its parents can be made. */
export async function checkDataDirShape(dataDir: string): Promise<void> {
  const existing = await stat(dataDir).catch((error: unknown) => {
    // ENOTDIR: a parent is a file, which makeDirectory names.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw unusable(dataDir, dataDir, error);
  });
  if (existing && !existing.isDirectory()) throw notAFolder(dataDir, null);
  await makeDirectory(path.dirname(dataDir), dataDir);
}

/**
 * `mkdir -p`, one level at a time: Node's `recursive: true` never returns on a path under /proc
 * (the kernel answers ENOENT for a parent that exists, and Node tries to create that parent again).
 */
async function makeDirectory(directory: string, dataDir: string): Promise<void> {
  const found = await stat(directory).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
    throw unusable(dataDir, directory, error);
  });
  if (found) {
    if (!found.isDirectory()) throw notAFolder(dataDir, null, directory);
    return;
  }
  if (path.dirname(directory) !== directory) await makeDirectory(path.dirname(directory), dataDir);
  await mkdir(directory).catch((error: unknown) => {
    if (errorCode(error) !== 'EEXIST') throw unusable(dataDir, directory, error);
  });
}

/** PGlite's own error for a folder it cannot write says little; a probe file says it plainly. */
export async function checkWritable(dataDir: string): Promise<void> {
  const exists = await stat(dataDir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(dataDir).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw unusable(dataDir, dataDir, error);
    });
  }
  const probe = path.join(dataDir, `.charla-write-check-${process.pid}`);
  try {
    await writeFile(probe, '');
    await unlink(probe);
  } catch (error) {
    throw unusable(dataDir, probe, error);
  }
}

function notAFolder(dataDir: string, cause: unknown, file = dataDir): CharlaError {
  return new CharlaError(
    'DATABASE_UNAVAILABLE',
    `The embedded database must be a folder, but ${file} is a file${file === dataDir ? '' : ` (DATABASE_URL points at ${dataDir})`}. ` +
      'Set DATABASE_URL to pglite:<folder> with a folder that does not exist yet (it is created) or that holds a Charla database.',
    cause === null ? undefined : { cause },
  );
}

/** Could not create or write `target` for `dataDir`: "not writable" when that is the reason. */
export function unusable(dataDir: string, target: string, cause: unknown): CharlaError {
  const code = errorCode(cause);
  // ENOENT from mkdir in a folder that exists is how /proc and similar file systems refuse.
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT') {
    return new CharlaError(
      'DATABASE_UNAVAILABLE',
      `The embedded database folder ${dataDir} is not writable (${code} on ${target}). ` +
        'Charla needs to write the folder and, next to it, its lock: give this user write access, or set DATABASE_URL to pglite:<a writable folder>.',
      { cause },
    );
  }
  if (code === 'ENOTDIR') return notAFolder(dataDir, cause, target);
  return new CharlaError(
    'DATABASE_UNAVAILABLE',
    `Could not use the embedded database folder ${dataDir} (${target}): ${describeCause(cause)}`,
    {
      cause,
    },
  );
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A readable reason for anything thrown (PGlite can throw plain objects). */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  return inspect(cause, { depth: 2, breakLength: Infinity });
}
