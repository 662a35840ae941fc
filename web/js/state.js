// web/js/state.js — what a shareable link holds: every editor, slider and toggle on the page.
//
// Each control registers how to read and restore itself; keys are "<widget>.<name>",
// the widget being the <section data-widget> it sits in. site/links.js puts the
// state in the URL (#state=…) and restores it.

const stateful = new Set();

/** Adds a control: {node, key, get(), set(value)}. */
export function register(component) {
  stateful.add(component);
  return component;
}

/** {"widget.name": value} for every registered control on the page. */
export function captureState() {
  const state = {};
  for (const c of stateful) {
    const widget = c.node.isConnected && c.node.closest('[data-widget]');
    if (widget) state[`${widget.dataset.widget}.${c.key}`] = c.get();
  }
  return state;
}

/** Restores what captureState() returned; unknown keys and bad values are skipped. Returns how many applied. */
export function applyState(state) {
  let applied = 0;
  for (const c of stateful) {
    const widget = c.node.isConnected && c.node.closest('[data-widget]');
    const key = widget && `${widget.dataset.widget}.${c.key}`;
    if (!key || !(key in state)) continue;
    try {
      c.set(state[key]);
      applied++;
    } catch { /* a link from an older page: leave that control as it is */ }
  }
  return applied;
}

