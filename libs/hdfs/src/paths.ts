import { HdfsPathError } from './errors';

// Paths are raw HDFS paths, never URL-encoded: '%xx' sequences, NUL and other control
// characters, backslashes and ':' (which HDFS itself refuses in names) are rejected outright.
const REFUSED_CHARS = /[\\:]|%[0-9a-fA-F]{2}/;
const refused = (path: string): boolean => {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return REFUSED_CHARS.test(path);
};

/** Checks and normalises a lake root: absolute, no '.' or '..' segments, no trailing slash. */
export function normaliseRoot(root: string): string {
  if (typeof root !== 'string' || !root.startsWith('/') || refused(root)) {
    throw new HdfsPathError(`lake root ${JSON.stringify(root)} must be an absolute HDFS path`, String(root));
  }
  const segments = root.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new HdfsPathError(`lake root ${JSON.stringify(root)} may not contain '.' or '..'`, root);
  }
  return `/${segments.join('/')}`;
}

/**
 * Resolves `path` (absolute, or relative to `root`) to a normalised absolute HDFS path and
 * refuses anything that lands outside `root` after '.', '..' and repeated slashes are resolved.
 */
export function resolveLakePath(root: string, path: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new HdfsPathError(`path ${JSON.stringify(path)} is empty or not a string`, String(path));
  }
  if (refused(path)) {
    throw new HdfsPathError(
      `path ${JSON.stringify(path)} contains a refused character (control, '\\', ':' or a %-escape)`,
      path,
    );
  }
  const absolute = path.startsWith('/') ? path : `${root}/${path}`;
  const out: string[] = [];
  for (const segment of absolute.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) throw new HdfsPathError(`path ${JSON.stringify(path)} climbs above /`, path);
      out.pop();
    } else out.push(segment);
  }
  const resolved = `/${out.join('/')}`;
  if (!isInside(root, resolved)) {
    throw new HdfsPathError(
      `path ${JSON.stringify(path)} resolves to ${resolved}, outside the lake root ${root}`,
      path,
    );
  }
  return resolved;
}

/** True when `path` is `root` or below it (both normalised). */
export function isInside(root: string, path: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

/** The URL path of an HDFS path under /webhdfs/v1, each segment percent-encoded. */
export function webhdfsPath(path: string): string {
  return `/webhdfs/v1${path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/')}`;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function parent(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
