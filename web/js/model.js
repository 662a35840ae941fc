// web/js/model.js — the course's trained model (model/course.weights, made by `attnlab train`) for
// the lessons that look inside it: fetched once per page from the site's assets, and handed to a
// lesson's module before its widgets start.
//
//   const load = withCourseModel(createLessonModule);   // in page.js, once
//   mountWidget('stream', load, (w) => { … });          // every widget that needs the model
import { assets } from './site/course.js';

let weights = null;

/** The weights file's bytes, fetched once per page. */
export function courseWeights() {
  weights ??= fetch(new URL('model/course.weights', assets)).then(async (r) => {
    if (!r.ok) throw new Error(`the course's model could not be loaded (HTTP ${r.status})`);
    return new Uint8Array(await r.arrayBuffer());
  });
  return weights;
}

/** A module loader whose module has the course's model in it (its use_model export): one per page. */
export function withCourseModel(createModule) {
  let ready = null;
  return () => {
    ready ??= Promise.all([createModule(), courseWeights()]).then(([lesson, bytes]) => {
      const r = lesson.use_model(bytes);
      if (!r.ok) throw new Error(r.error);
      lesson.modelInfo = r;
      return lesson;
    });
    return ready;
  };
}

/**
 * In a long run's worker (widget.longRun's `work`), puts the course's model into the worker's own
 * copy of the lesson's module. Call it at the start of every run: a cancelled run's worker is
 * gone, and the next run's is new.
 */
export async function modelInWorker(work) {
  await work('use_model', await courseWeights());
}
