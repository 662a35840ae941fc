// web/js/widgets.js — everything a lesson's page.js builds from, in one import:
//
//   dom.js       el, svg, fmt, bytes, flops       matrix.js   MatrixEditor, MatrixView, Heatmap
//   widget.js    mountWidget, ErrorBanner         charts.js   Histogram, BarChart, Stats, LinePlot
//   controls.js  slider, toggle, chips, stepper, textField       export.js   SVG, PNG and CSV downloads
//   state.js     register: the shareable-link registry (site/links.js uses it)
//   explain.js   explainScore, explainWeight, explainOutput, explainGradient: a heatmap cell written out as its sum
//   scene.js     Scene: an animated SVG figure, drawn from the library's state at each step
//   plot.js      scales, axes, lines and the two colour-blind-safe palettes (d3's modules)
//   model.js     withCourseModel: a lesson's module with the course's trained model loaded in it
export { el, svg, fmt, bytes, flops } from './dom.js';
export { explainScore, explainWeight, explainOutput, explainGradient, explanation } from './explain.js';
export { mountWidget, ErrorBanner } from './widget.js';
export { chips, slider, stepper, textField, toggle } from './controls.js';
export { MatrixEditor, MatrixView, Heatmap } from './matrix.js';
export { axes, divergingColor, line, linear, log, sequentialColor } from './plot.js';
export { Histogram, BarChart, Stats, LinePlot, SeriesPlot } from './charts.js';
export { download, exportMenu } from './export.js';
export { register } from './state.js';
export { Scene } from './scene.js';
export { courseWeights, modelInWorker, withCourseModel } from './model.js';
