// The playbook sidebar's page: a static shell with a strict content security policy. Everything the page shows
// is built by dist/webview.js from the data the extension posts (as text nodes, never as HTML).
// No `vscode` import: the tests load this exact page in Chromium.
import { randomBytes } from 'node:crypto';

export interface PlaybookPageOptions {
  /** `webview.cspSource` ("'self' https://*.vscode-cdn.net" or similar): where the page's own files come from. */
  cspSource: string;
  /** Fresh for every render (`createNonce`). */
  nonce: string;
  /** `webview.asWebviewUri(...)` of dist/webview.js. */
  scriptUri: string;
  /** `webview.asWebviewUri(...)` of media/webview/playbooks.css. */
  styleUri: string;
}

/** 128 random bits, base64: a CSP nonce. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

const NONCE = /^[A-Za-z0-9+/]{16,}={0,2}$/;
/** A scheme and host (wildcards allowed), as `webview.cspSource` gives them, e.g. "https://*.vscode-cdn.net". */
const HOST_SOURCE = /^[a-z][a-z0-9+.-]*:\/\/[^\s;,'"]+$/i;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The policy: nothing by default; the page's own stylesheet and nonce'd script; no eval, inline code or remote hosts. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  if (!NONCE.test(nonce)) throw new Error('the nonce must be base64 of at least 12 random bytes');
  const sources = cspSource.trim().split(/\s+/);
  if (cspSource.trim() === '' || !sources.every(s => s === "'self'" || HOST_SOURCE.test(s))) throw new Error(`not a CSP source: ${JSON.stringify(cspSource)}`);
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function playbookPageHtml(o: PlaybookPageOptions): string {
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  const nonce = escapeAttribute(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttribute(o.styleUri)}" nonce="${nonce}">
<title>Playbooks</title>
</head>
<body>
<main id="app">
  <section id="list-view" aria-label="Playbooks">
    <div class="list-header">
      <input id="search" type="search" autocomplete="off" spellcheck="false"
        placeholder="Search playbooks, e.g. breaker, p99, 200 ms"
        aria-label="Search playbooks by title, text or threshold" aria-controls="results" aria-describedby="result-count">
      <p id="result-count" class="result-count" role="status" aria-live="polite" aria-atomic="true"></p>
    </div>
    <div id="results" class="results" role="listbox" tabindex="0" aria-label="Playbooks"></div>
  </section>
  <section id="detail-view" aria-labelledby="detail-title" hidden>
    <div class="toolbar">
      <button id="back" type="button" class="link-button back" title="Back to the list (Escape)">Playbooks</button>
      <button id="open-markdown" type="button" class="link-button" title="Open this playbook as a Markdown document">Open as Markdown</button>
    </div>
    <article id="detail" class="detail" tabindex="-1"></article>
  </section>
  <p id="loading" class="loading">Loading playbooks…</p>
</main>
<script nonce="${nonce}" src="${escapeAttribute(o.scriptUri)}"></script>
</body>
</html>
`;
}
