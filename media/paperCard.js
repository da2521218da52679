// @ts-check
// The Citelens paper card's script. It only posts messages to the extension, which validates
// them: {type:'cite'|'copyBibtex'|'openPaper'|'openLink', key?, url?}. Listeners are attached
// here (the page has no inline handlers; its CSP allows only this script, by nonce).
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const key = document.body.dataset.key || '';
  // the key survives a window reload: the extension's serializer restores the card from it
  if (key) vscode.setState({ key });

  /** @param {string} text @param {HTMLElement | null} after */
  function flash(text, after) {
    if (!after || !after.parentElement) return;
    const old = after.parentElement.querySelector('.flash');
    if (old) old.remove();
    const span = document.createElement('span');
    span.className = 'flash';
    span.textContent = text;
    after.insertAdjacentElement('afterend', span);
    setTimeout(() => span.remove(), 2000);
  }

  const cite = document.getElementById('cite');
  if (cite) {
    cite.addEventListener('click', () => {
      vscode.postMessage({ type: 'cite', key: cite.dataset.key || key });
    });
  }

  const copy = document.getElementById('copy-bibtex');
  if (copy) {
    copy.addEventListener('click', () => {
      vscode.postMessage({ type: 'copyBibtex', key });
      flash('Copied', copy);
    });
  }

  for (const el of Array.from(document.querySelectorAll('button.related-paper'))) {
    const button = /** @type {HTMLElement} */ (el);
    button.addEventListener('click', () => {
      if (button.dataset.key) vscode.postMessage({ type: 'openPaper', key: button.dataset.key });
    });
  }

  for (const el of Array.from(document.querySelectorAll('a[data-url]'))) {
    const link = /** @type {HTMLElement} */ (el);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const url = link.dataset.url || '';
      if (/^https?:\/\//i.test(url)) vscode.postMessage({ type: 'openLink', url });
    });
  }

  // Any other link (there should be none) must not navigate the webview.
  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement | null} */ (event.target);
    const a = target && target.closest ? target.closest('a') : null;
    if (a && !a.hasAttribute('data-url')) event.preventDefault();
  });
})();
