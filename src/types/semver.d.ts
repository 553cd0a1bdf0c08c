// The part of `semver` (v7, a dependency of the build tools) that the extension bundles.
declare module 'semver' {
  export class SemVer {
    version: string;
  }
  export function valid(version: string | SemVer | null | undefined): string | null;
  export function coerce(version: string, options?: { includePrerelease?: boolean }): SemVer | null;
  export function validRange(range: string): string | null;
  export function minVersion(range: string): SemVer | null;
  export function satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
  export function intersects(range1: string, range2: string): boolean;
  export function compare(a: string, b: string): -1 | 0 | 1;
}
