/**
 * LaTeX markup in BibTeX field values turned into plain Unicode for display and search:
 * accents (`{\"o}` → ö), symbols (`\&` → &), ligatures (`--` → –), ties (`~` → space),
 * case-protection braces (`{{Case}}` → Case) and the common text and math commands.
 *
 * One pass over the string, no recursion, no regular expressions on the slow path; a value
 * without any LaTeX special character is returned unchanged without allocating.
 */

/** Combining marks for the accent commands (`\'a`, `\v{s}`, `\hat{x}`, …). */
const ACCENTS: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304',
  '.': '\u0307', u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', k: '\u0328', r: '\u030a',
  d: '\u0323', b: '\u0331', t: '\u0361', G: '\u030f', U: '\u030e',
  acute: '\u0301', grave: '\u0300', hat: '\u0302', ddot: '\u0308', tilde: '\u0303', bar: '\u0304',
  dot: '\u0307', breve: '\u0306', check: '\u030c', vec: '\u20d7', mathring: '\u030a',
  textcircled: '\u20dd',
};

/** Commands that stand for a piece of text. */
const SYMBOLS: Record<string, string> = {
  // letters
  aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł', ss: 'ß',
  SS: 'SS', i: 'ı', j: 'ȷ', th: 'þ', TH: 'Þ', dh: 'ð', DH: 'Ð', dj: 'đ', DJ: 'Đ', ng: 'ŋ', NG: 'Ŋ',
  ij: 'ĳ', IJ: 'Ĳ', texttheta: 'θ', textschwa: 'ə', eth: 'ð',
  // punctuation and text symbols
  textendash: '–', textemdash: '—', textbackslash: '\\', slash: '/', textslash: '/',
  textbar: '|', textless: '<', textgreater: '>', textasciitilde: '~', textasciicircum: '^',
  textunderscore: '_', textbraceleft: '{', textbraceright: '}', textquotedblleft: '“',
  textquotedblright: '”', textquoteleft: '‘', textquoteright: '’', textquotesingle: "'",
  textquotedbl: '"', quotedblbase: '„', quotesinglbase: '‚', guillemotleft: '«',
  guillemotright: '»', guillemetleft: '«', guillemetright: '»', guilsinglleft: '‹',
  guilsinglright: '›', textexclamdown: '¡', textquestiondown: '¿', textbullet: '•',
  textperiodcentered: '·', textellipsis: '…', ldots: '…', dots: '…', cdots: '⋯', textdagger: '†',
  dag: '†', textdaggerdbl: '‡', ddag: '‡', textsection: '§', S: '§', textparagraph: '¶', P: '¶',
  copyright: '©', textcopyright: '©', textregistered: '®', texttrademark: '™', pounds: '£',
  textsterling: '£', euro: '€', texteuro: '€', textyen: '¥', textcent: '¢', textdollar: '$',
  textdegree: '°', degree: '°', textcelsius: '℃', textmu: 'µ', textohm: 'Ω', textpm: '±',
  texttimes: '×', textdiv: '÷', textonehalf: '½', textonequarter: '¼', textthreequarters: '¾',
  textasciimacron: '¯', textasciiacute: '´', textasciigrave: '`', textasciidieresis: '¨', textordfeminine: 'ª',
  textordmasculine: 'º', textminus: '−', textnumero: '№', textrightarrow: '→',
  textleftarrow: '←', textuparrow: '↑', textdownarrow: '↓', textvisiblespace: '␣',
  textperthousand: '‰', textbigcircle: '◯', checkmark: '✓', textspace: ' ',
  // spacing
  quad: ' ', qquad: ' ', enspace: ' ', thinspace: ' ', space: ' ', nobreakspace: ' ',
  newline: ' ', par: ' ', linebreak: ' ', hfill: ' ', break: ' ',
  // logos
  TeX: 'TeX', LaTeX: 'LaTeX', LaTeXe: 'LaTeX2e', BibTeX: 'BibTeX', XeTeX: 'XeTeX',
  XeLaTeX: 'XeLaTeX', LuaTeX: 'LuaTeX', LuaLaTeX: 'LuaLaTeX', ConTeXt: 'ConTeXt', AmSTeX: 'AMS-TeX',
  AmS: 'AMS', AMS: 'AMS', AmSLaTeX: 'AMS-LaTeX', MF: 'METAFONT', MP: 'METAPOST', eTeX: 'e-TeX',
  pdfTeX: 'pdfTeX', pdfLaTeX: 'pdfLaTeX', BibLaTeX: 'BibLaTeX', SliTeX: 'SliTeX', PiCTeX: 'PiCTeX',
  LAMSTeX: 'LAMS-TeX', ProTeXt: 'proTeXt', MiKTeX: 'MiKTeX', TUB: 'TUGboat', TUG: 'TUG',
  Dash: '—', dash: '—',
  // Greek
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ',
  eta: 'η', theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν',
  xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ',
  upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ',
  Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ',
  Omega: 'Ω', textalpha: 'α', textbeta: 'β', textgamma: 'γ', textdelta: 'δ', textlambda: 'λ',
  textmugreek: 'μ', textpi: 'π', textsigma: 'σ', textomega: 'ω', textOmega: 'Ω',
  // math
  leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', pm: '±', mp: '∓', times: '×',
  div: '÷', cdot: '·', ast: '∗', star: '⋆', circ: '∘', bullet: '∙', infty: '∞', partial: '∂',
  nabla: '∇', sum: '∑', prod: '∏', int: '∫', oint: '∮', sqrt: '√', approx: '≈', sim: '∼',
  simeq: '≃', cong: '≅', equiv: '≡', propto: '∝', ll: '≪', gg: '≫', to: '→', rightarrow: '→',
  leftarrow: '←', gets: '←', Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔',
  Leftrightarrow: '⇔', longrightarrow: '⟶', uparrow: '↑', downarrow: '↓', mapsto: '↦',
  rightleftharpoons: '⇌', langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊',
  rfloor: '⌋', in: '∈', notin: '∉', ni: '∋', subset: '⊂', supset: '⊃', subseteq: '⊆',
  supseteq: '⊇', cup: '∪', cap: '∩', setminus: '∖', forall: '∀', exists: '∃', neg: '¬',
  lnot: '¬', land: '∧', wedge: '∧', lor: '∨', vee: '∨', oplus: '⊕', otimes: '⊗', perp: '⊥',
  parallel: '∥', mid: '∣', emptyset: '∅', varnothing: '∅', prime: '′', hbar: 'ℏ', ell: 'ℓ',
  Re: 'ℜ', Im: 'ℑ', aleph: 'ℵ', angle: '∠', triangle: '△', Box: '□', Diamond: '◇',
  dagger: '†', ddagger: '‡', vert: '|', Vert: '‖', lbrace: '{', rbrace: '}', backslash: '\\',
  colon: ':', ldotp: '.', cdotp: '·', lvert: '|', rvert: '|', AAlig: 'Å', angstrom: 'Å',
  micro: 'µ', ohm: 'Ω', percent: '%', celsius: '℃', cyrchar: '', textcyrillic: '',
  // Cyrillic (as written by Zotero's \cyrchar\CYRA exports)
  CYRA: 'А', CYRB: 'Б', CYRV: 'В', CYRG: 'Г', CYRD: 'Д', CYRE: 'Е', CYRYO: 'Ё', CYRZH: 'Ж',
  CYRZ: 'З', CYRI: 'И', CYRISHRT: 'Й', CYRK: 'К', CYRL: 'Л', CYRM: 'М', CYRN: 'Н', CYRO: 'О',
  CYRP: 'П', CYRR: 'Р', CYRS: 'С', CYRT: 'Т', CYRU: 'У', CYRF: 'Ф', CYRH: 'Х', CYRC: 'Ц',
  CYRCH: 'Ч', CYRSH: 'Ш', CYRSHCH: 'Щ', CYRHRDSN: 'Ъ', CYRERY: 'Ы', CYRSFTSN: 'Ь', CYREREV: 'Э',
  CYRYU: 'Ю', CYRYA: 'Я', cyra: 'а', cyrb: 'б', cyrv: 'в', cyrg: 'г', cyrd: 'д', cyre: 'е',
  cyryo: 'ё', cyrzh: 'ж', cyrz: 'з', cyri: 'и', cyrishrt: 'й', cyrk: 'к', cyrl: 'л', cyrm: 'м',
  cyrn: 'н', cyro: 'о', cyrp: 'п', cyrr: 'р', cyrs: 'с', cyrt: 'т', cyru: 'у', cyrf: 'ф',
  cyrh: 'х', cyrc: 'ц', cyrch: 'ч', cyrsh: 'ш', cyrshch: 'щ', cyrhrdsn: 'ъ', cyrery: 'ы',
  cyrsftsn: 'ь', cyrerev: 'э', cyryu: 'ю', cyrya: 'я',
};

/** Single-character control symbols (`\&`, `\%`, `\,` …). Missing ones are dropped. */
const CONTROL_SYMBOLS: Record<string, string> = {
  '&': '&', '%': '%', $: '$', '#': '#', _: '_', '{': '{', '}': '}', ' ': ' ', '\\': ' ',
  ',': ' ', ';': ' ', ':': ' ', '>': ' ', '!': '', '-': '', '/': '', '@': '', '|': '‖',
  '\n': ' ', '\t': ' ', '\r': ' ',
};

/** Commands whose single braced argument is dropped with them (`\vphantom{x}`, `\noopsort{a}`). */
const DROP_ARG = new Set([
  'vphantom', 'hphantom', 'phantom', 'noopsort', 'sortnoop', 'SortNoop', 'noop', 'nosort',
  'index', 'label', 'hspace', 'vspace', 'vskip', 'hskip', 'kern', 'bibinfo', 'bibfield',
]);

/** Commands whose argument is shown verbatim (`\url{a_b}`, `\path|x|`). */
const VERBATIM_ARG = new Set(['url', 'path', 'verb', 'nolinkurl', 'doi']);

/** `table[name]` when the table itself defines it: `\toString` and `\constructor` are no commands of ours. */
function own(table: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

// Character classes for the scanner.
/** 1 for the ASCII characters that need the slow path. */

const SPECIAL = new Uint8Array(128);
for (const ch of '\\{}~-$`\'\n\r\t\f') SPECIAL[ch.charCodeAt(0)] = 1;

const BACKSLASH = 92, LBRACE = 123, RBRACE = 125, TILDE = 126, DASH = 45, DOLLAR = 36,
  BACKTICK = 96, QUOTE = 39, SPACE = 32, NL = 10, CR = 13, TAB = 9, FF = 12, CARET = 94,
  UNDERSCORE = 95;

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isSpace(c: number): boolean {
  return c === SPACE || c === NL || c === CR || c === TAB || c === FF;
}

/**
 * Precomposed accented letters: `COMPOSED.get(mark + base)`, built once from Unicode's own
 * composition so that the hot path never calls `normalize`.
 */
const COMPOSED = new Map<string, string>();
{
  const bases = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const mark of new Set(Object.values(ACCENTS))) {
    for (const b of bases) {
      const c = (b + mark).normalize('NFC');
      if (c.length === 1) COMPOSED.set(mark + b, c);
    }
  }
}

/**
 * Converts LaTeX markup in a field value to plain Unicode: `{\"o}` → ö, `\&` → &, `--` → –,
 * `---` → —, `~` → space, ``` `` ``` / `''` → “ ”, `{{Case}}` → Case, `\emph{x}` → x,
 * `$\alpha$` → α; unknown commands are dropped (their braced argument is kept as text), every
 * remaining brace is removed and runs of white space collapse to one space. Never throws.
 */
export function latexToUnicode(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  // Fast path: nothing LaTeX-special and no run of spaces to collapse: the value itself.
  let braces = false;
  let prev = SPACE;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (SPECIAL[c] === 1) {
        if (c === LBRACE || c === RBRACE) braces = true;
        else if (c === DASH || c === QUOTE) {
          // a lone hyphen or apostrophe is plain text; only "--" and "''" are markup
          if (s.charCodeAt(i + 1) === c) break;
        } else break;
      } else if (c === SPACE && prev === SPACE) break;
    }
    prev = c;
  }
  if (i === n) {
    if (prev === SPACE) return convert(s);
    if (!braces) return s;
    // only braces to remove (`{{ZnO}}`, `{B}ayesian`): one native pass
    const r = s.replace(BRACES, '');
    return r.indexOf('  ') < 0 && r.charCodeAt(0) !== SPACE && r.charCodeAt(r.length - 1) !== SPACE ? r : convert(s);
  }
  return convert(s);
}

const BRACES = /[{}]/g;

// Result of the last command() / applyAccent() call (module scratch instead of an object per call).
let cmdText = '';
let cmdNext = 0;
/** Set when an accent could not be precomposed and the result needs NFC normalization. */
let needsNfc = false;

/** The slow path of {@link latexToUnicode}. */
function convert(s: string): string {
  const n = s.length;
  let out = '';
  let math = false;
  let i = 0;
  let run = 0; // start of the pending run of plain characters
  /** Whether the output ends with a space (or is empty): collapses white space on the fly. */
  let spaced = true;
  needsNfc = false;

  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      i++;
      continue;
    }
    if (SPECIAL[c] === 0) {
      if (c === SPACE) {
        const d = s.charCodeAt(i + 1);
        if (i + 1 < n && !isSpace(d)) {
          i++;
          continue;
        }
      } else if (!(math && (c === CARET || c === UNDERSCORE))) {
        i++;
        continue;
      }
    }
    // flush the pending run
    if (i > run) {
      if (spaced && s.charCodeAt(run) === SPACE) run++;
      if (i > run) {
        out += s.slice(run, i);
        spaced = s.charCodeAt(i - 1) === SPACE;
      }
    }
    let text = '';
    switch (c) {
      case LBRACE:
      case RBRACE:
      case CARET:
      case UNDERSCORE:
        i++;
        break;
      case SPACE:
      case TILDE:
      case NL:
      case CR:
      case TAB:
      case FF:
        text = ' ';
        i++;
        break;
      case DOLLAR:
        math = !math;
        i++;
        break;
      case DASH:
        if (s.charCodeAt(i + 1) === DASH) {
          if (s.charCodeAt(i + 2) === DASH) {
            text = '—';
            i += 3;
          } else {
            text = '–';
            i += 2;
          }
        } else {
          text = math ? '−' : '-';
          i++;
        }
        break;
      case BACKTICK:
        if (s.charCodeAt(i + 1) === BACKTICK) {
          text = '“';
          i += 2;
        } else {
          text = '‘';
          i++;
        }
        break;
      case QUOTE:
        if (s.charCodeAt(i + 1) === QUOTE) {
          text = '”';
          i += 2;
        } else {
          text = "'";
          i++;
        }
        break;
      case BACKSLASH:
        command(s, i + 1, math);
        text = cmdText;
        i = cmdNext;
        break;
      default:
        i++;
    }
    if (text.length > 0) {
      if (text === ' ') {
        if (!spaced) {
          out += ' ';
          spaced = true;
        }
      } else {
        out += text;
        spaced = text.charCodeAt(text.length - 1) === SPACE;
      }
    }
    run = i;
  }
  if (n > run) {
    if (spaced && s.charCodeAt(run) === SPACE) run++;
    if (n > run) {
      out += s.slice(run, n);
      spaced = s.charCodeAt(n - 1) === SPACE;
    }
  }
  if (spaced && out.length > 0) out = out.slice(0, -1);
  if (needsNfc) return out.normalize('NFC');
  // `out` was built by concatenation; reading a character flattens it, so the result does not
  // keep a tree of fragments alive.
  out.charCodeAt(0);
  return out;
}

/** Reads the command whose name starts at `i` (just after the backslash); sets cmdText/cmdNext. */
function command(s: string, i: number, math: boolean): void {
  const n = s.length;
  cmdText = '';
  if (i >= n) {
    cmdNext = n;
    return;
  }
  const c = s.charCodeAt(i);
  if (!isLetter(c)) {
    const name = s[i];
    const accent = own(ACCENTS, name);
    if (accent !== undefined) {
      applyAccent(s, i + 1, accent);
      return;
    }
    const sym = own(CONTROL_SYMBOLS, name);
    cmdText = sym ?? (c >= 128 ? name : '');
    cmdNext = i + 1;
    return;
  }
  let next = i + 1;
  while (next < n && isLetter(s.charCodeAt(next))) next++;
  const name = s.slice(i, next);
  // A control word eats the white space after it.
  let k = next;
  while (k < n && isSpace(s.charCodeAt(k))) k++;

  const accent = own(ACCENTS, name);
  if (accent !== undefined && (name.length > 1 || k > next || s.charCodeAt(k) === LBRACE)) {
    applyAccent(s, k, accent);
    return;
  }
  const sym = own(SYMBOLS, name);
  if (sym !== undefined) {
    // `\o{}rsted`, `\ss{}`: an empty group after a symbol just ends the command name.
    if (s.charCodeAt(k) === LBRACE && s.charCodeAt(k + 1) === RBRACE) k += 2;
    // in math the space after a symbol is layout, not an argument separator: keep one
    cmdText = math && k > next && k < n ? sym + ' ' : sym;
    cmdNext = k;
    return;
  }
  if (name === 'symbol' && s.charCodeAt(k) === LBRACE) {
    // `\symbol{"4E2D}`, `\symbol{20013}`, `\symbol{'116}`: the character with that code (how the
    // writer keeps a character a file's encoding cannot hold)
    const end = skipGroup(s, k);
    const arg = s.slice(k + 1, end - 1).trim();
    const code = /^"[0-9A-Fa-f]{1,6}$/.test(arg) ? parseInt(arg.slice(1), 16) : /^'[0-7]{1,8}$/.test(arg) ? parseInt(arg.slice(1), 8) : /^[0-9]{1,7}$/.test(arg) ? +arg : NaN;
    if (code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
      cmdText = String.fromCodePoint(code);
      cmdNext = end;
      return;
    }
  }
  if (DROP_ARG.has(name) || name === 'href') {
    // `\href{url}{text}` keeps the text: dropping the first group is the same operation
    cmdNext = s.charCodeAt(k) === LBRACE ? skipGroup(s, k) : k;
    return;
  }
  if (VERBATIM_ARG.has(name)) {
    const d = s.charCodeAt(k);
    if (d === LBRACE) {
      const end = skipGroup(s, k);
      // an unclosed group (`\url{a b` at the end of a value) runs to the end: keep its last character
      const closed = end - 1 > k && s.charCodeAt(end - 1) === RBRACE;
      cmdText = s.slice(k + 1, closed ? end - 1 : end);
      cmdNext = end;
      return;
    }
    if (k < n && !isLetter(d)) {
      const close = s.indexOf(s[k], k + 1);
      const end = close < 0 ? n : close;
      cmdText = s.slice(k + 1, end);
      cmdNext = Math.min(n, end + 1);
      return;
    }
  }
  // Unknown command: drop its name; a braced argument stays as text (braces are stripped later).
  cmdNext = k;
}

/** Applies a combining accent to the next character (`\'a`, `\'{a}`, `\'{\i}`, `\v s`). */
function applyAccent(s: string, i: number, mark: string): void {
  const n = s.length;
  cmdText = '';
  let j = i;
  while (j < n && isSpace(s.charCodeAt(j))) j++;
  let braced = false;
  if (s.charCodeAt(j) === LBRACE) {
    braced = true;
    j++;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
  }
  if (j >= n) {
    cmdNext = n;
    return;
  }
  let base: string;
  const c = s.charCodeAt(j);
  if (c === BACKSLASH) {
    // dotless i/j or another letter command as the base (\'\i, \"{\i}, \r{\aa})
    let k = j + 1;
    while (k < n && isLetter(s.charCodeAt(k))) k++;
    const nm = s.slice(j + 1, k);
    if (nm === 'i' || nm === 'j') base = nm;
    else if (nm.length > 0 && own(SYMBOLS, nm) !== undefined) base = own(SYMBOLS, nm)!;
    else {
      cmdNext = j;
      return;
    }
    while (k < n && isSpace(s.charCodeAt(k))) k++;
    j = k;
  } else if (c === RBRACE) {
    // \'{} : the accent alone
    cmdNext = j + 1;
    return;
  } else {
    const cp = s.codePointAt(j)!;
    base = String.fromCodePoint(cp);
    j += base.length;
  }
  if (braced && s.charCodeAt(j) === RBRACE) j++;
  const composed = COMPOSED.get(mark + base);
  if (composed !== undefined) cmdText = composed;
  else {
    cmdText = base + mark;
    needsNfc = true;
  }
  cmdNext = j;
}

/** Index just after the brace group that opens at `i` (or the end of the string if unclosed). */
function skipGroup(s: string, i: number): number {
  const n = s.length;
  let depth = 0;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === BACKSLASH) j++;
  }
  return n;
}
