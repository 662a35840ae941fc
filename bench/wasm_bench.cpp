// bench/wasm_bench.cpp — the kernels and a throughput peak, compiled to wasm for bench/wasm_bench.mjs.
//
// Node calls these; the timing happens here, with std::chrono (performance.now
// underneath), around calls whose inputs were made once per size.
//   peak()                         GFLOP/s of 12 independent (mul, add) chains on f32x4 registers:
//                                  SIMD128 has no fused multiply-add, and the kernels use the same pair
//   kernel(version, n, causal, r)  median ms of r runs of "naive" | "online" | "tiled" | "simd" at d = 64
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <attn/kernels/registry.hpp>

namespace {

double peak() {
    using namespace attn::simd;
    constexpr int chains = 12;
    const long steps = 1 << 22;
    reg acc[chains];
    for (int c = 0; c < chains; ++c) acc[c] = set1(float(c) * 1e-3f);
    const reg a = set1(0.999999f), b = set1(1e-7f);
    const auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < steps; ++i)
        for (int c = 0; c < chains; ++c) acc[c] = fma(acc[c], a, b);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    float sink[W];
    reg total = acc[0];
    for (int c = 1; c < chains; ++c) total = add(total, acc[c]);
    store(sink, total);
    return sink[0] == 12345.0f ? 0 : 2.0 * W * chains * double(steps) / s * 1e-9;
}

double kernel(std::string version, int n, bool causal, int reps) {
    const std::size_t N = static_cast<std::size_t>(n), d = 64;
    static attn::kernels::scratch s;  // buffers kept between sizes: page faults cost more than the work
    const attn::matrix Q = attn::wave_matrix(N, d, 0), K = attn::wave_matrix(N, d, 1), V = attn::wave_matrix(N, d, 2);
    attn::matrix O = xt::zeros<float>({N, d});
    const attn::kernels::kernel_info& k = attn::kernels::kernel(version);
    attn::kernels::run_options o;
    o.causal = causal;
    return attn::kernels::median_ms([&] { k.run(Q.data(), K.data(), V.data(), O.data(), N, N, d, d, o, s); },
                                    std::size_t(reps));
}

}  // namespace

EMSCRIPTEN_BINDINGS(wasm_bench) {
    emscripten::function("peak", &peak);
    emscripten::function("kernel", &kernel);
    emscripten::constant("isa", std::string(attn::simd::isa));
}
