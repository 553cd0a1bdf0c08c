// Known security advisories of the MCP TypeScript SDK, and the check of a package.json's dependency on it.
// Pure (no `vscode`): the extension, its tests and any other adapter can use it.
import * as semver from 'semver';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser/lib/esm/main.js'; // ESM build: esbuild cannot follow the UMD build's requires

export const SDK_PACKAGE = '@modelcontextprotocol/sdk';
export const VULNERABLE_SDK_CHECK_ID = 'vulnerable-mcp-sdk';

export interface SdkAdvisory {
  id: string;
  cve: string;
  /** npm semver range of affected versions. */
  affected: string;
  fixedIn: string;
  summary: string;
  url: string;
}

/** Newest fix last; the advice is to upgrade to the highest `fixedIn` among the advisories that apply. */
export const SDK_ADVISORIES: readonly SdkAdvisory[] = [
  {
    id: 'GHSA-w48q-cv73-mx4w',
    cve: 'CVE-2025-66414',
    affected: '<1.24.0',
    fixedIn: '1.24.0',
    summary: 'DNS rebinding protection is off by default for HTTP servers on localhost',
    url: 'https://github.com/advisories/GHSA-w48q-cv73-mx4w',
  },
  {
    id: 'GHSA-8r9q-7v3j-jr4g',
    cve: 'CVE-2026-0621',
    affected: '<1.25.2',
    fixedIn: '1.25.2',
    summary: 'regular-expression denial of service in UriTemplate (exploded array patterns)',
    url: 'https://github.com/advisories/GHSA-8r9q-7v3j-jr4g',
  },
  {
    id: 'GHSA-345p-7cg4-v4c7',
    cve: 'CVE-2026-25536',
    affected: '>=1.10.0 <1.26.0',
    fixedIn: '1.26.0',
    summary: 'cross-client data leak when a server or transport instance is shared between clients',
    url: 'https://github.com/advisories/GHSA-345p-7cg4-v4c7',
  },
];

export interface SdkDependencyFinding {
  /** Dependency section the entry is in (`dependencies`, `devDependencies`, ...). */
  section: string;
  /** The version specifier as written. */
  specifier: string;
  /** 0-based offsets of the specifier string (with its quotes) in the package.json text. */
  start: number;
  end: number;
  /** Lowest version the specifier admits; the one a fresh, unlocked install may not pick, but a lockfile may. */
  lowestAllowed: string;
  /** The version actually installed, when known, and whether the advisories were judged on it. */
  installed?: string;
  advisories: SdkAdvisory[];
  /** The version range to write instead (`^<highest fix>`). */
  suggestedSpecifier: string;
  message: string;
}

const SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** Advisories that apply to one exact version. */
export function advisoriesForVersion(version: string): SdkAdvisory[] {
  const v = semver.valid(semver.coerce(version, { includePrerelease: true })?.version ?? version);
  if (!v) return [];
  return SDK_ADVISORIES.filter(a => semver.satisfies(v, a.affected, { includePrerelease: true }));
}

/**
 * Advisories a version specifier admits: those whose affected range intersects the specifier's range.
 * Specifiers that are not semver ranges (tags, git, file:, workspace:, npm: aliases) are not judged.
 */
export function advisoriesForSpecifier(specifier: string): { lowest: string; advisories: SdkAdvisory[] } | undefined {
  const range = semver.validRange(specifier);
  if (!range) return undefined;
  const lowest = semver.minVersion(range);
  if (!lowest) return undefined;
  return { lowest: lowest.version, advisories: SDK_ADVISORIES.filter(a => semver.intersects(range, a.affected)) };
}

/**
 * Checks a package.json text for an `@modelcontextprotocol/sdk` dependency that admits vulnerable versions.
 * When `installedVersion` is given (from node_modules), the verdict follows what is installed: an installed fixed
 * version with a range that still admits vulnerable ones is reported only with `includeLooseRanges`.
 */
export function checkPackageJson(text: string, installedVersion?: string, includeLooseRanges = true): SdkDependencyFinding[] {
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    return [];
  }
  if (!root || root.type !== 'object') return [];
  const out: SdkDependencyFinding[] = [];
  for (const section of SECTIONS) {
    const node = findNodeAtLocation(root, [section, SDK_PACKAGE]);
    if (!node || node.type !== 'string' || typeof node.value !== 'string') continue;
    const specifier = node.value;
    const admitted = advisoriesForSpecifier(specifier);
    if (!admitted || admitted.advisories.length === 0) continue;
    let advisories = admitted.advisories;
    let installed: string | undefined;
    if (installedVersion && semver.valid(installedVersion)) {
      installed = installedVersion;
      const hitting = advisoriesForVersion(installedVersion);
      if (hitting.length > 0) advisories = hitting;
      else if (!includeLooseRanges) continue;
    }
    const fixedIn = advisories.map(a => a.fixedIn).sort(semver.compare).at(-1)!;
    const suggestedSpecifier = `^${fixedIn}`;
    const ids = advisories.map(a => `${a.cve} (${a.summary})`).join('; ');
    const installedVulnerable = installed !== undefined && advisoriesForVersion(installed).length > 0;
    const message = installedVulnerable
      ? `${SDK_PACKAGE} ${installed} is installed and has known advisories: ${ids}. Upgrade to ${fixedIn} or later ("${suggestedSpecifier}").`
      : installed !== undefined
        ? `"${specifier}" still admits ${SDK_PACKAGE} versions with known advisories (installed ${installed} is fixed, but a lockfile or another install may pick ${admitted.lowest}): ${ids}. Raise the floor to "${suggestedSpecifier}".`
        : `"${specifier}" admits ${SDK_PACKAGE} versions with known advisories (as low as ${admitted.lowest}): ${ids}. Require ${fixedIn} or later ("${suggestedSpecifier}").`;
    out.push({
      section,
      specifier,
      start: node.offset,
      end: node.offset + node.length,
      lowestAllowed: admitted.lowest,
      installed,
      advisories,
      suggestedSpecifier,
      message,
    });
  }
  return out;
}
