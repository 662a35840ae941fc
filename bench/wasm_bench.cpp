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
    static std::vector<float> Q, K, V, O, S;
    static std::vector<attn::kernels::tiled_workspace> ws;
    Q.resize(N * d), K.resize(N * d), V.resize(N * d), O.resize(N * d);
    for (std::size_t k = 0; k < N * d; ++k) {
        Q[k] = std::sin(0.37f * float(k));
        K[k] = std::cos(0.23f * float(k));
        V[k] = std::sin(0.11f * float(k) + 1.0f);
    }
    if (version == "naive") S.resize(N * N);
    auto once = [&] {
        if (version == "naive") attn::kernels::naive_attention(Q.data(), K.data(), V.data(), O.data(), N, N, d, d, causal, S.data());
        else if (version == "online") attn::kernels::online_attention(Q.data(), K.data(), V.data(), O.data(), N, N, d, d, causal);
        else if (version == "tiled") attn::kernels::tiled_forward<attn::kernels::scalar_ops>(Q.data(), K.data(), V.data(), O.data(), N, N, d, d, causal, 1, &ws);
        else attn::kernels::tiled_forward<attn::kernels::vector_ops>(Q.data(), K.data(), V.data(), O.data(), N, N, d, d, causal, 1, &ws);
    };
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        once();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

EMSCRIPTEN_BINDINGS(wasm_bench) {
    emscripten::function("peak", &peak);
    emscripten::function("kernel", &kernel);
    emscripten::constant("isa", std::string(attn::simd::isa));
}
