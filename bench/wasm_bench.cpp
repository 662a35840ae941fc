// bench/wasm_bench.cpp — the kernels and a throughput peak, compiled to wasm for bench/wasm_bench.mjs.
//
// Node calls these; the timing happens here, with std::chrono (performance.now
// underneath), around calls whose inputs were made once per size.
//   peak()                         GFLOP/s of attn/kernels/peak.hpp's 12 independent (mul, add) chains on
//                                  f32x4 registers: SIMD128 has no fused multiply-add, and the kernels use the same pair
//   kernel(version, n, causal, r)  median ms of r runs of "naive" | "online" | "tiled" | "simd" at d = 64
#include <string>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <attn/kernels/peak.hpp>
#include <attn/kernels/registry.hpp>

namespace {

double peak() { return attn::kernels::measure_roof(1, std::size_t(1) << 22).gflops; }

double kernel(std::string version, int n, bool causal, int reps) {
    attn::kernels::run_options o;
    o.causal = causal;
    return attn::kernels::time_kernel(version, std::size_t(n), 64, o, std::size_t(reps)).ms;
}

}  // namespace

EMSCRIPTEN_BINDINGS(wasm_bench) {
    emscripten::function("peak", &peak);
    emscripten::function("kernel", &kernel);
    emscripten::constant("isa", std::string(attn::simd::isa));
}
