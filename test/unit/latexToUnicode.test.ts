import * as assert from 'node:assert/strict';
import { latexToUnicode } from '../../src/core/sources/bibtex/latexToUnicode';

describe('latexToUnicode', () => {
  it('returns plain values unchanged', () => {
    for (const s of ['Attention Is All You Need', 'GPT-4 Technical Report', "Newton's laws", '10.1000/xyz-1', 'Ünïcödé already']) {
      assert.equal(latexToUnicode(s), s);
    }
  });

  it('decodes accents in every written form', () => {
    assert.equal(latexToUnicode('{\\"o}'), 'ö');
    assert.equal(latexToUnicode('\\"{o}'), 'ö');
    assert.equal(latexToUnicode('\\"o'), 'ö');
    assert.equal(latexToUnicode("Fabi{\\'a}n V{\\'a}squez"), 'Fabián Vásquez');
    assert.equal(latexToUnicode('Morko{\\c c}'), 'Morkoç');
    assert.equal(latexToUnicode('\\c{C}elik'), 'Çelik');
    assert.equal(latexToUnicode('{\\v S}koda \\v{c}'), 'Škoda č');
    assert.equal(latexToUnicode("\\'{\\i}ndice"), 'índice');
    assert.equal(latexToUnicode('\\`e \\^o \\~n \\=a \\.z \\u{g} \\H{o} \\k{a} \\r{u}'), 'è ô ñ ā ż ğ ő ą ů');
    assert.equal(latexToUnicode('Erd\\H{o}s'), 'Erdős');
  });

  it('decodes special letters and symbols', () => {
    assert.equal(latexToUnicode('{\\o}rsted {\\aa}se {\\AA}ngstr{\\"o}m {\\ss} {\\l}{\\L} {\\ae}{\\oe}'), 'ørsted åse Ångström ß łŁ æœ');
    assert.equal(latexToUnicode('Smith \\& Jones'), 'Smith & Jones');
    assert.equal(latexToUnicode('100\\% of \\$5 \\#1 a\\_b'), '100% of $5 #1 a_b');
    assert.equal(latexToUnicode('a\\textendash{}b\\textemdash c'), 'a–b—c');
    assert.equal(latexToUnicode('\\textbackslash{} \\textasciitilde{} \\textasciicircum{}'), '\\ ~ ^');
    assert.equal(latexToUnicode('\\{x\\}'), '{x}');
  });

  it('turns dashes, ties and quotes into their Unicode forms', () => {
    assert.equal(latexToUnicode('pages 10--20'), 'pages 10–20');
    assert.equal(latexToUnicode('yes---no'), 'yes—no');
    assert.equal(latexToUnicode('D.~E. Knuth'), 'D. E. Knuth');
    assert.equal(latexToUnicode("``quoted''"), '“quoted”');
    assert.equal(latexToUnicode('a-b'), 'a-b');
  });

  it('keeps the text of case-protection braces and strips the braces', () => {
    assert.equal(latexToUnicode('{{Case}}'), 'Case');
    assert.equal(latexToUnicode('The {{ZnO}}/{{NiO}} Junction'), 'The ZnO/NiO Junction');
    assert.equal(latexToUnicode('{B}ayesian {NLP}'), 'Bayesian NLP');
  });

  it('keeps the argument of formatting commands and drops unknown command names', () => {
    assert.equal(latexToUnicode('\\emph{very} \\textbf{bold} \\textit{it}'), 'very bold it');
    assert.equal(latexToUnicode('{\\em emphasis} and {\\bf bold}'), 'emphasis and bold');
    assert.equal(latexToUnicode('the \\unknowncommand{kept} text'), 'the kept text');
    assert.equal(latexToUnicode('\\noopsort{a}Zeta'), 'Zeta');
    assert.equal(latexToUnicode('\\LaTeX{} and \\TeX'), 'LaTeX and TeX');
  });

  it('keeps URLs verbatim and keeps the text of \\href', () => {
    assert.equal(latexToUnicode('see \\url{http://x.org/a_b~c}'), 'see http://x.org/a_b~c');
    assert.equal(latexToUnicode('\\href{http://x.org}{the site}'), 'the site');
    assert.equal(latexToUnicode('\\path|a_b|'), 'a_b');
  });

  it('decodes simple math', () => {
    assert.equal(latexToUnicode('$\\alpha$-helix'), 'α-helix');
    assert.equal(latexToUnicode('$\\beta \\leq 2$'), 'β ≤ 2');
    assert.equal(latexToUnicode('H$_2$O and $^{13}$C'), 'H2O and 13C');
  });

  it('collapses white space and line breaks and trims', () => {
    assert.equal(latexToUnicode('  A\n   multi-line\r\n\ttitle  '), 'A multi-line title');
    assert.equal(latexToUnicode('a {} b'), 'a b');
    assert.equal(latexToUnicode(''), '');
    assert.equal(latexToUnicode('   '), '');
  });

  it('decodes Cyrillic written as \\cyrchar commands', () => {
    assert.equal(latexToUnicode('{\\cyrchar\\CYRA}{\\cyrchar\\cyrb}'), 'Аб');
  });

  it('reads broken markup without losing the text around it', () => {
    // each broken piece between two words: the words stay, the piece is read as far as it makes sense
    const cases: [string, string][] = [
      ['\\', 'Café end'],
      ['{', 'Café end'],
      ['}', 'Café end'],
      ['$', 'Café end'],
      ['\\\\\\', 'Café end'],
      ['\\"', 'Café ënd'], // an accent with no letter of its own takes the next one
      ["\\'{", 'Café énd'],
      ['\\c', 'Café ȩnd'],
      ['{\\v', 'Café ěnd'],
      ['\\path|x', 'Café x end'],
      ['\\url{', 'Café  end'], // an unclosed verbatim group runs to the end, every character kept
      ['\\href{', 'Café'], // an unclosed link target swallows the rest: it is the URL, never shown
      ['\u0000\\\u0000', 'Café \u0000 end'],
    ];
    for (const [broken, expected] of cases) assert.equal(latexToUnicode(`Caf\\'e ${broken} end`), expected, JSON.stringify(broken));
  });

  it('reads a long value with many commands whole (its speed is in npm run bench)', () => {
    const s = '{\\"o}\\&--{\\emph{x}}~'.repeat(50_000);
    assert.equal(latexToUnicode(s), Array.from({ length: 50_000 }, () => 'ö&–x').join(' '));
  });
  it('reads commands named like Object properties as unknown commands, not as the tables\' prototype', () => {
    // \toString once came out as "function toString() { [native code] }"
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']) {
      const out = latexToUnicode(`a \\${name} b \\'{\\${name}} c`);
      assert.doesNotMatch(out, /function|native code|\[object/, `\\${name}: ${out}`);
      assert.match(out, /^a .*b .*c$/, `\\${name}: ${out}`);
    }
  });
});
