import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBibtex } from '../../src/core/sources/bibtex/writer';
import { PaperCardInput, cspSources, escapeHtml, paperCardHtml, paperLinks } from '../../src/core/render/cardHtml';
import { Paper } from '../../src/core/model/paper';
import { builtinPapers, paper, repoRoot } from './helpers';

const NONCE = 'AbC123xyz+/=';
/** What VS Code 1.100's webviews report as `cspSource`. */
const CSP_SOURCE = "'self' https://*.vscode-cdn.net";

function render(p: Paper, extra: Partial<PaperCardInput> = {}): string {
  return paperCardHtml({
    paper: p,
    topics: ['Long context', 'Training systems'],
    related: [],
    bibtex: toBibtex(p),
    nonce: NONCE,
    cspSource: CSP_SOURCE,
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/paperCard.css',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/paperCard.js',
    ...extra,
  });
}

/** Every start tag with its attributes, as [tag name, attribute name[]]. */
function tags(html: string): { name: string; attrs: string[]; raw: string }[] {
  const out: { name: string; attrs: string[]; raw: string }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>"'/]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attrs = [...m[2].matchAll(/\s+([^\s=>"'/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)].map((a) => a[1].toLowerCase());
    out.push({ name: m[1].toLowerCase(), attrs, raw: m[0] });
  }
  return out;
}

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  '[x](command:workbench.action.quit)',
  '</pre><script>alert(2)</script>',
  '<a href="javascript:alert(1)">click</a>',
  '<style>body{display:none}</style>',
];

describe('the paper card HTML', () => {
  it('escapes &, <, >, double and single quotes', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('shows the title, authors, year · venue, key, topics, the full abstract, BibTeX and the buttons', () => {
    const p = builtinPapers().find((x) => x.key === 'shoeybiMegatronLMTraining2019')!;
    const html = render(p, { related: [{ key: 'k1', title: 'Related One', year: 2020 }], citedHere: 2 });
    assert.match(html, /<h1 class="title">Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism<\/h1>/);
    assert.ok(html.includes('Mohammad Shoeybi'));
    assert.ok(html.includes(`>${p.year}`), 'year');
    assert.ok(html.includes('<code class="key" title="Citation key">shoeybiMegatronLMTraining2019</code>'));
    assert.ok(html.includes('<li class="chip">Long context</li>'));
    // the whole abstract, not its first sentences
    assert.ok(html.includes(escapeHtml(p.abstract!.trim())));
    assert.ok(html.includes(`<pre id="bibtex-text">${escapeHtml(toBibtex(p))}</pre>`));
    assert.match(html, /<button type="button" id="copy-bibtex"/);
    assert.match(html, /<button type="button" id="cite" class="primary" data-key="shoeybiMegatronLMTraining2019">/);
    assert.match(html, /<button type="button" class="related-paper" data-key="k1"[^>]*>Related One <span class="year">2020<\/span><\/button>/);
    assert.ok(html.includes(`href="https://arxiv.org/abs/${p.arxiv}"`));
    assert.ok(html.includes('cited 2× in this document'));
  });

  it('renders one button per related paper, in order', () => {
    const related = [1, 2, 3, 4, 5].map((i) => ({ key: `rel${i}`, title: `Related ${i}` }));
    const html = render(paper({ key: 'p' }), { related });
    assert.deepEqual([...html.matchAll(/class="related-paper" data-key="([^"]+)"/g)].map((m) => m[1]), ['rel1', 'rel2', 'rel3', 'rel4', 'rel5']);
  });

  it('has a strict CSP with the nonce and exactly one script, which carries the nonce', () => {
    const html = render(paper({ key: 'p' }));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(csp, 'CSP meta tag');
    assert.equal(
      csp![1],
      `default-src 'none'; style-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}'; img-src ${CSP_SOURCE} https: data:; font-src ${CSP_SOURCE};`,
    );
    assert.ok(!csp![1].includes('unsafe-inline') && !csp![1].includes('unsafe-eval'));
    const scripts = tags(html).filter((t) => t.name === 'script');
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0].raw, `<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/paperCard.js">`);
    // the CSP comes before anything that loads
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'));
  });

  it('a hostile nonce or CSP source cannot break out of the CSP', () => {
    const html = render(paper({ key: 'p' }), { nonce: `x'; script-src *; '"><script>`, cspSource: `a; script-src * 'unsafe-inline'` });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
    const directives = csp.split(';').map((d) => d.trim()).filter(Boolean);
    assert.deepEqual(directives.map((d) => d.split(/\s+/)[0]), ['default-src', 'style-src', 'script-src', 'img-src', 'font-src']);
    assert.ok(!/'unsafe-|&#39;unsafe-|\*(?:\s|;|$)/.test(csp), csp);
    assert.equal(tags(html).filter((t) => t.name === 'script').length, 1);
  });

  it("keeps the webview's CSP sources and drops anything that would widen the policy", () => {
    assert.equal(cspSources("'self' https://*.vscode-cdn.net"), "'self' https://*.vscode-cdn.net");
    assert.equal(cspSources('https://*.vscode-cdn.net'), 'https://*.vscode-cdn.net');
    assert.equal(cspSources('vscode-resource:'), 'vscode-resource:');
    assert.equal(cspSources("'unsafe-inline' 'unsafe-eval' * https:"), 'https:');
    assert.equal(cspSources("a; script-src * 'unsafe-inline'"), "'none'");
    assert.equal(cspSources(''), "'none'");
  });

  for (const evil of HOSTILE) {
    it(`renders hostile library text inert: ${evil}`, () => {
      const p = paper({
        key: 'evil',
        title: evil,
        abstract: `Abstract ${evil} end`,
        authors: [evil, 'Real Author'],
        venue: evil,
        keywords: [evil],
        url: 'javascript:alert(1)',
        doi: `10.1/"><script>alert(1)</script>`,
      });
      const html = render(p, { topics: [evil], related: [{ key: `k"><img src=x onerror=alert(1)>`, title: evil }], bibtex: toBibtex(p) });
      const all = tags(html);
      // only the card's own elements: one script, no images, frames, svg, or styles
      assert.equal(all.filter((t) => t.name === 'script').length, 1);
      for (const banned of ['img', 'svg', 'iframe', 'style', 'object', 'embed']) {
        assert.equal(all.filter((t) => t.name === banned).length, 0, `<${banned}> in the output`);
      }
      // no event-handler attributes anywhere, no inline style attributes
      for (const t of all) {
        assert.ok(!t.attrs.some((a) => a.startsWith('on')), `handler attribute in ${t.raw}`);
        assert.ok(!t.attrs.includes('style'), `style attribute in ${t.raw}`);
      }
      // every '<' in the document opens a tag seen above (or a closing tag, or the doctype)
      const closing = html.match(/<\/[a-zA-Z][\w-]*\s*>/g)?.length ?? 0;
      assert.equal((html.match(/</g) ?? []).length, all.length + closing + 1);
      // links are http(s) only
      for (const m of html.matchAll(/\b(?:href|src|data-url)="([^"]*)"/g)) assert.match(m[1], /^https:\/\//, m[0]);
      assert.ok(!/href="(?:javascript|command|data|vbscript):/i.test(html));
      // the text is there, escaped
      assert.ok(html.includes(escapeHtml(evil)));
    });
  }

  it('no on*= attribute and no inline style on the card of every built-in paper', () => {
    for (const p of builtinPapers()) {
      const html = render(p, { related: builtinPapers().slice(0, 5).map((r) => ({ key: r.key, title: r.title, year: r.year })) });
      for (const t of tags(html)) {
        assert.ok(!t.attrs.some((a) => a.startsWith('on') || a === 'style'), `${p.key}: ${t.raw}`);
      }
      assert.equal(tags(html).filter((t) => t.name === 'script').length, 1);
    }
  });

  it('links only http(s) URLs: arXiv and DOI are built, javascript:/data:/command: URLs are dropped', () => {
    assert.deepEqual(paperLinks(paper({ key: 'a', arxiv: '1909.08053', doi: '10.48550/arXiv.1909.08053', url: 'https://example.org/x' })).map((l) => l.href), [
      'https://arxiv.org/abs/1909.08053',
      'https://doi.org/10.48550/arXiv.1909.08053',
      'https://example.org/x',
    ]);
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>', 'command:workbench.action.quit', 'file:///etc/passwd', 'https://x.org/"onmouseover="a']) {
      assert.deepEqual(paperLinks(paper({ key: 'a', url })), [], url);
    }
    assert.deepEqual(paperLinks(paper({ key: 'a', arxiv: '1909.08053"><script>' })), []);
  });

  it('the stylesheet and the script in media/ have no inline handlers and use theme colours', () => {
    const css = readFileSync(join(repoRoot, 'media/paperCard.css'), 'utf8');
    const js = readFileSync(join(repoRoot, 'media/paperCard.js'), 'utf8');
    assert.match(css, /var\(--vscode-foreground\)/);
    assert.match(css, /var\(--vscode-editor-background\)/);
    assert.ok(!/#[0-9a-f]{3,6}\b/i.test(css), 'no hard-coded colours');
    const icons = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(icons.length >= 3, 'the card icons');
    for (const icon of icons) assert.ok(existsSync(join(repoRoot, 'media', icon)), `media/${icon} exists`);
    assert.match(js, /acquireVsCodeApi\(\)/);
    for (const type of ['cite', 'copyBibtex', 'openPaper', 'openLink']) assert.ok(js.includes(`type: '${type}'`), type);
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/.test(js), 'the script never parses strings as HTML or code');
  });
});
