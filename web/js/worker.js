// web/js/worker.js — a lesson's module in a Web Worker, for the runs long enough to freeze a page
// (timing kernels: lesson 07's "Measure", lesson 09's "Run all four"). widget.js's longRun() starts
// it, sends { id, module, fn, args } and gets back { id, result }: result is lesson[fn](...args),
// the module's own {ok, …} (or {ok: false, error} if the module cannot load). Cancelling
// terminates the worker; a kernel mid-run stops at once, and the next run starts a new one.
const modules = new Map();  // the URL of a lesson.mjs -> the promise of its module
self.onmessage = async ({ data: { id, module, fn, args } }) => {
  try {
    if (!modules.has(module)) modules.set(module, import(module).then(({ default: create }) => create()));
    const lesson = await modules.get(module);
    if (typeof lesson[fn] !== 'function') throw new Error(`the lesson's module has no function ${fn}`);
    self.postMessage({ id, result: lesson[fn](...args) });
  } catch (e) {
    self.postMessage({ id, result: { ok: false, error: String(e?.message ?? e) } });
  }
};
