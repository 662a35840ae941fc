// web/js/site.js — what every page shares, beyond the lesson's widgets, one module per concern:
//
//   site/theme.js          light or dark, from the system or the learner's choice (remembered)
//   site/presenter.js      large type for a class; ← → step through the sections
//   site/links.js          every widget's settings in the URL (#state=…); "Copy link"
//   site/progress.js       visits, self-checks and exercises in localStorage, as a file to export
//   site/selfchecks.js     the lesson's self-checks and its native exercise
//   site/exercise.js       the exercise in the page: live under ./lab serve (site/serve.js), else read-only
//   site/index-progress.js the index's progress panel
//   site/class.js          the class page: learners' files and the grade report, with provenance
//   site/worksheets.js     the worksheets' questions and the answer keys, from the checks module
//
// Loaded by both templates beside the lesson's page.js (both bundled by web/build.mjs).
import { el } from './dom.js';
import { here } from './site/course.js';
import { mountClass } from './site/class.js';
import { mountIndexProgress } from './site/index-progress.js';
import { copyLinkButton, restoreFromURL } from './site/links.js';
import { presenterButton } from './site/presenter.js';
import { record } from './site/progress.js';
import { mountSelfChecks } from './site/selfchecks.js';
import { serveToken } from './site/serve.js';
import { applyTheme, themeButton } from './site/theme.js';
import { mountAnswers, mountWorksheets } from './site/worksheets.js';

const bar = el('div', { class: 'site-tools', role: 'group', 'aria-label': 'Page tools' },
  here ? [copyLinkButton(), presenterButton()] : [], themeButton());
document.querySelector('.topbar')?.append(bar);
applyTheme(document.documentElement.dataset.theme);
serveToken();  // the link ./lab serve prints opens the index: keep its token for the lesson pages

if (here) {
  // The lesson list folds into a drawer on a narrow screen (it is open in the HTML, for no-script).
  const drawer = document.querySelector('.lessons-drawer');
  if (drawer && matchMedia('(max-width: 900px)').matches) drawer.open = false;
  record('visited', here);
  mountSelfChecks();
  restoreFromURL();
} else {
  mountIndexProgress();
  mountClass();
  mountWorksheets();
  mountAnswers();
}
