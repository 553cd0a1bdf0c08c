// The package a file belongs to (its nearest package.json) and whether that package.json declares an MCP server SDK;
// the Python project a Python file belongs to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageJsonUsesMcp } from './facts';
import { PYTHON_PROJECT_MARKERS } from './python/project';

export class PackageIndex {
  private readonly packageOfDir = new Map<string, string | null>();
  private readonly pythonProjectOfDir = new Map<string, string | null>();
  private readonly usesMcpCache = new Map<string, boolean>();

  /** Absolute path of the nearest package.json at or above the file's directory, or null. */
  packageJsonOf(file: string): string | null {
    return nearest(file, this.packageOfDir, dir => {
      const candidate = path.join(dir, 'package.json');
      return isFile(candidate) ? candidate : null;
    });
  }

  /** The nearest folder at or above the file's directory with a Python project file (PYTHON_PROJECT_MARKERS), or null. */
  pythonProjectOf(file: string): string | null {
    return nearest(file, this.pythonProjectOfDir, dir => (PYTHON_PROJECT_MARKERS.some(m => isFile(path.join(dir, m))) ? dir : null));
  }

  /** True when the package.json lists an MCP server SDK or framework among its dependencies. */
  usesMcp(packageJson: string): boolean {
    let uses = this.usesMcpCache.get(packageJson);
    if (uses === undefined) {
      let text = '';
      try {
        text = fs.readFileSync(packageJson, 'utf8');
      } catch {
        // An unreadable package.json says nothing; the files' own imports still count.
      }
      uses = packageJsonUsesMcp(text);
      this.usesMcpCache.set(packageJson, uses);
    }
    return uses;
  }
}

/** The first non-null `found(dir)` from the file's directory up to the root, cached per directory. */
function nearest(file: string, cache: Map<string, string | null>, found: (dir: string) => string | null): string | null {
  const visited: string[] = [];
  let result: string | null = null;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      result = cached;
      break;
    }
    visited.push(dir);
    result = found(dir);
    if (result !== null || path.dirname(dir) === dir) break;
  }
  for (const dir of visited) cache.set(dir, result);
  return result;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
