// The package a file belongs to (its nearest package.json) and whether that package.json declares an MCP server SDK.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageJsonUsesMcp } from '../../core/facts';

export class PackageIndex {
  private readonly packageOfDir = new Map<string, string | null>();
  private readonly usesMcpCache = new Map<string, boolean>();

  /** Absolute path of the nearest package.json at or above the file's directory, or null. */
  packageJsonOf(file: string): string | null {
    const visited: string[] = [];
    let found: string | null = null;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const cached = this.packageOfDir.get(dir);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      visited.push(dir);
      const candidate = path.join(dir, 'package.json');
      if (isFile(candidate)) {
        found = candidate;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
    for (const dir of visited) this.packageOfDir.set(dir, found);
    return found;
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

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
