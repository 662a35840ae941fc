// web/js/theme.js — the theme, before the first paint.
//
// A classic script in <head> (not a module, so it runs before the body is
// drawn): it sets data-theme on <html> from the learner's remembered choice or
// the system setting, so a dark-mode visitor never sees the light page flash
// first. site.js owns the toggle and keeps following the system afterwards.
(function () {
  let theme = null;
  try {
    theme = JSON.parse(localStorage.getItem('attnlab.theme'));
  } catch (e) { /* private mode, or a damaged value: follow the system */ }
  if (theme !== 'dark' && theme !== 'light')
    theme = window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.setAttribute('data-theme', theme);
})();
