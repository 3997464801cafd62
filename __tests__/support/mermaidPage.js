/*
 * Runs in the browser page beside mermaid.min.js (loaded by chromium.ts):
 * renders a diagram and reads back what was drawn. Plain JavaScript, as the
 * page runs it; the tests' TypeScript calls it through page.evaluate.
 */
(function () {
  let renders = 0;

  /** A label's text: its text nodes, a <br> as a line feed. */
  function labelText(el) {
    if (!el) return '';
    const parts = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent || '');
      else if (node.tagName && node.tagName.toLowerCase() === 'br') parts.push('\n');
      else node.childNodes.forEach(walk);
    };
    walk(el);
    return parts.join('');
  }

  /** Elements no diagram of rolecall's makes: scripts, frames, links, images, forms, event handlers. */
  const FOREIGN = 'script, iframe, a, img, object, embed, form, input, button, link, meta, video, audio, [onload], [onerror], [onclick], [onmouseover], [href], [xlink\\:href]';

  window.rolecallRender = async function (text, securityLevel) {
    const out = document.getElementById('out');
    out.innerHTML = '';
    renders += 1;
    window.mermaid.initialize({ startOnLoad: false, securityLevel, flowchart: { htmlLabels: true }, maxTextSize: 1000000, maxEdges: 100000 });
    let svg;
    let bindFunctions;
    try {
      ({ svg, bindFunctions } = await window.mermaid.render(`d${renders}`, text));
    } catch (e) {
      return { error: String((e && e.message) || e), svg: '', nodes: [], edges: [], clusters: [], foreign: [] };
    }
    out.innerHTML = svg;
    // As a page that shows diagrams does: the diagram's click handlers (a `click` statement's) are bound.
    if (bindFunctions) bindFunctions(out);
    const nodes = [...out.querySelectorAll('g.node')].map((g) => ({ id: (/flowchart-(n\d+)-\d+$/.exec(g.id) || [])[1] || g.id, text: labelText(g.querySelector('.nodeLabel')) }));
    const labels = new Map([...out.querySelectorAll('g.edgeLabel g.label[data-id]')].map((l) => [l.getAttribute('data-id'), l]));
    const edges = [...out.querySelectorAll('path.flowchart-link')].map((p) => {
      const id = p.getAttribute('data-id') || p.id;
      const m = /^L_(n\d+)_(n\d+)_\d+$/.exec(id) || [];
      const label = labels.get(id);
      return { from: m[1] || '?', to: m[2] || '?', text: labelText(label ? label.querySelector('.edgeLabel') : null) };
    });
    const clusters = [...out.querySelectorAll('g.cluster')].map((c) => labelText(c.querySelector('.nodeLabel') || c.querySelector('.cluster-label')));
    const foreign = [...out.querySelectorAll(FOREIGN)].map((el) => el.outerHTML.slice(0, 120));
    return { svg, nodes, edges, clusters, foreign };
  };

  /** Each drawn edge's id (`L_n0_n1_0`) and style attribute. */
  window.rolecallLinkStyles = () => [...document.querySelectorAll('#out path.flowchart-link')].map((p) => ({ id: p.getAttribute('data-id') || p.id, style: p.getAttribute('style') || '' }));

  /** Each drawn node's id (`n0`) and class attribute. */
  window.rolecallNodeClasses = () => [...document.querySelectorAll('#out g.node')].map((g) => [(/flowchart-(n\d+)-/.exec(g.id) || [])[1] || '', g.getAttribute('class') || '']);

  /** A payload that runs leaves its mark in window.__pwned; pwn() is what a `click ... call pwn()` would call. */
  window.pwn = () => {
    window.__pwned = 'call';
  };
  window.rolecallPwned = () => window.__pwned;
})();
