// web/js/site/serve.js — the token of `./lab serve` (web/exercise-server.mjs). The link the server
// prints carries it (?token=…); the page keeps it for this origin and takes it out of the address
// bar, so a copied link never holds it. A new start makes a new token: an old one is refused.
const key = 'attention-lab-serve-token';

export function serveToken() {
  const params = new URLSearchParams(location.search);
  const given = params.get('token');
  if (given && /^[0-9a-f]{48}$/.test(given)) {
    try {
      localStorage.setItem(key, given);
    } catch { /* private mode: this page still has it */ }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return given;
  }
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
