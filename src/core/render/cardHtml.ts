/**
 * The paper card as an HTML document for a webview. Library text is data: every title, author,
 * venue, key, topic and abstract is HTML-escaped, links are only ever http(s), and the document
 * carries a strict Content-Security-Policy whose only script is the card's own, by nonce. The page
 * has no inline handlers and no style attributes; its script and stylesheet live in `media/` (the
 * stylesheet is put inline under the nonce when its text is given).
 * Pure TypeScript, no `vscode` import.
 */
import { safeUrl } from './cardMarkdown';
import { renderLightMarkup } from './lightMarkup';
import { Paper } from '../model/paper';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A related paper shown as a button on the card. */
export interface RelatedPaperRef {
  key: string;
  title: string;
  year?: number;
}

/** Everything the card's HTML is made of. */
export interface PaperCardInput {
  paper: Paper;
  /** Names of the topics the paper sits under. */
  topics: readonly string[];
  /** The most related papers (the card shows them in this order). */
  related: readonly RelatedPaperRef[];
  /** The paper's BibTeX entry, shown verbatim (escaped) and copied by the Copy button. */
  bibtex: string;
  /** A fresh random nonce for the script tag (letters, digits, `+`, `/`, `=`). */
  nonce: string;
  /** The webview's `cspSource`. */
  cspSource: string;
  /** Webview URIs of `media/paperCard.css` and `media/paperCard.js`. */
  styleUri: string;
  scriptUri: string;
  /**
   * The stylesheet's text (its `url()`s already webview URIs), put inline under the nonce so the
   * card is styled from its first paint; a linked stylesheet could arrive after it.
   */
  styleText?: string;
  /** Webview URI of a codicon stylesheet; when absent the card uses its own SVG icons from `media/icons`. */
  codiconsUri?: string;
  /** How often the paper is cited in the document being edited, when known. */
  citedHere?: number;
}

/** The link targets of a paper: arXiv, DOI and URL, each http(s) and validated. */
export function paperLinks(p: Paper): { label: string; href: string }[] {
  const links: { label: string; href: string }[] = [];
  const arxiv = p.arxiv && /^[\w./-]+$/.test(p.arxiv) ? safeUrl(`https://arxiv.org/abs/${p.arxiv}`) : undefined;
  if (arxiv) links.push({ label: `arXiv:${p.arxiv}`, href: arxiv });
  const doi = p.doi && /^10\.\S+$/.test(p.doi) ? safeUrl(`https://doi.org/${encodeURI(p.doi).replace(/[()'"<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`) : undefined;
  if (doi) links.push({ label: `doi:${p.doi}`, href: doi });
  const url = safeUrl(p.url);
  if (url && url !== arxiv && url !== doi) links.push({ label: hostOf(url), href: url });
  return links;
}

function hostOf(url: string): string {
  const m = /^https?:\/\/([^/?#]+)/.exec(url);
  return m ? m[1] : 'link';
}

/**
 * The webview's `cspSource` ("'self' https://*.vscode-cdn.net") reduced to what a source list
 * legitimately holds: `'self'` and scheme or host expressions. Anything else (`'unsafe-inline'`,
 * a bare `*`, a `;` starting another directive) is dropped.
 */
export function cspSources(cspSource: string): string {
  const kept = cspSource
    .split(/\s+/)
    .filter((t) => t === "'self'" || (/^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[A-Za-z0-9*.:%_+-]*[A-Za-z0-9*%_-](?:\/[A-Za-z0-9._~%/-]*)?)?$/.test(t)) || /^(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?$/.test(t));
  return kept.length ? kept.join(' ') : "'none'";
}

/** Only characters a nonce or a webview URI legitimately contains survive in the CSP and tags. */
function attrSafe(s: string): string {
  return escapeHtml(s.replace(/[\s;]/g, ''));
}

/** The full HTML document of the card. */
export function paperCardHtml(input: PaperCardInput): string {
  const { paper: p } = input;
  const nonce = input.nonce.replace(/[^A-Za-z0-9+/=]/g, '');
  const csp = cspSources(input.cspSource);
  // icons: codicons when a codicon stylesheet is given, else the card's own SVGs (media/icons), drawn in the text colour
  const icon = (name: 'quote' | 'copy' | 'link-external') =>
    input.codiconsUri ? `<span class="codicon codicon-${name}" aria-hidden="true"></span>` : `<span class="icon icon-${name}" aria-hidden="true"></span>`;

  const parts: string[] = [];
  parts.push(`<header>`);
  parts.push(`<h1 class="title">${escapeHtml(p.title)}</h1>`);
  if (p.authors.length) {
    parts.push(`<p class="authors" title="${escapeHtml(p.authors.join(', '))}">${escapeHtml(authorsForCard(p.authors))}</p>`);
  }
  const yv = [p.year ? String(p.year) : '', p.venue ?? ''].filter(Boolean).map(escapeHtml).join(' · ');
  if (yv) parts.push(`<p class="meta">${yv}</p>`);
  const facts: string[] = [`<code class="key" title="Citation key">${escapeHtml(p.key)}</code>`];
  if (input.citedHere !== undefined) {
    facts.push(`<span class="cited">${input.citedHere ? `cited ${input.citedHere}× in this document` : 'not cited in this document yet'}</span>`);
  }
  parts.push(`<p class="facts">${facts.join(' ')}</p>`);
  parts.push(`</header>`);

  parts.push(`<nav class="actions">`);
  parts.push(`<button type="button" id="cite" class="primary" data-key="${escapeHtml(p.key)}">${icon('quote')} Cite at cursor</button>`);
  for (const l of paperLinks(p)) {
    parts.push(`<a class="link" href="${escapeHtml(l.href)}" data-url="${escapeHtml(l.href)}" title="${escapeHtml(l.href)}">${icon('link-external')} ${escapeHtml(l.label)}</a>`);
  }
  parts.push(`</nav>`);

  if (input.topics.length) {
    parts.push(`<section class="topics" aria-label="Topics"><h2>Topics</h2><ul class="chips">${input.topics.map((t) => `<li class="chip">${escapeHtml(t)}</li>`).join('')}</ul></section>`);
  }

  parts.push(`<section class="abstract" aria-label="Abstract"><h2>Abstract</h2>`);
  parts.push(p.abstract?.trim() ? `<p>${abstractHtml(p.abstract.trim())}</p>` : `<p class="muted">No abstract in the library.</p>`);
  parts.push(`</section>`);

  parts.push(`<section class="bibtex" aria-label="BibTeX"><h2>BibTeX <button type="button" id="copy-bibtex" class="secondary">${icon('copy')} Copy</button></h2>`);
  parts.push(`<pre id="bibtex-text">${escapeHtml(input.bibtex)}</pre>`);
  parts.push(`</section>`);

  parts.push(`<section class="related" aria-label="Related papers"><h2>Related papers</h2>`);
  if (input.related.length) {
    parts.push(`<ul class="related-list">`);
    for (const r of input.related) {
      parts.push(
        `<li><button type="button" class="related-paper" data-key="${escapeHtml(r.key)}" title="${escapeHtml(r.key)}">${escapeHtml(r.title)}${r.year ? ` <span class="year">${r.year}</span>` : ''}</button></li>`,
      );
    }
    parts.push(`</ul>`);
  } else {
    parts.push(`<p class="muted">No related papers in the library.</p>`);
  }
  parts.push(`</section>`);

  const inlineStyle = input.styleText ? ` 'nonce-${nonce}'` : '';
  const cspContent =
    `default-src 'none'; style-src ${csp}${inlineStyle}; script-src 'nonce-${nonce}'; img-src ${csp} https: data:; font-src ${csp};`;
  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="UTF-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${cspContent}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1.0">`,
    input.codiconsUri ? `<link rel="stylesheet" href="${attrSafe(input.codiconsUri)}">` : '',
    input.styleText ? `<style nonce="${nonce}">\n${input.styleText.replace(/</g, '\\3c ')}\n</style>` : `<link rel="stylesheet" href="${attrSafe(input.styleUri)}">`,
    `<title>${escapeHtml(p.title)}</title>`,
    `</head>`,
    `<body data-key="${escapeHtml(p.key)}">`,
    `<main>`,
    ...parts,
    `</main>`,
    `<script nonce="${nonce}" src="${attrSafe(input.scriptUri)}"></script>`,
    `</body>`,
    `</html>`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Every author up to ten, then "et al." with the count: a card has room for more than a hover. */
function authorsForCard(authors: readonly string[]): string {
  if (authors.length <= 10) return authors.join(', ');
  return `${authors.slice(0, 10).join(', ')} et al. (${authors.length} authors)`;
}

/** An abstract as HTML: escaped text, its `*emphasis*`, `**strong**` and `` `code` `` as elements. */
export function abstractHtml(text: string): string {
  return renderLightMarkup(text, escapeHtml, (kind, escaped) => `<${kind}>${escaped}</${kind}>`);
}
