// lessons/quadratic_cost/lesson.hpp — lesson 06's C++ API: the cost model, timed, and fitted.
//
// What the page's calculator asks the model, what its live timing runs (the naive
// kernel on inputs made once per size and kept, since growing the wasm heap and
// touching fresh pages costs more than the work), and the n² fit through the times.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/kernels/registry.hpp>
#include <attn/kernels/simd.hpp>
#include <attn/rng.hpp>

namespace lessons::quadratic_cost {

/// The model for n tokens of width d, and whether the page may run it.
struct model_result {
    attn::attention_cost cost;
    bool fits;  // the score matrix fits under attn::page_memory_limit
    ATTN_FIELDS(cost, fits)
};
inline model_result model(std::size_t n, std::size_t d, bool causal) {
    attn::require_whole_in("n", double(n), 1, 1e9);
    attn::require_whole_in("d", double(d), 1, 65536);
    const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, causal);
    return {c, c.score_bytes <= attn::page_memory_limit};
}

/// The naive kernel timed: the median of `reps` runs after one warm-up.
struct timing {
    double ms, gflops, score_bytes;
    ATTN_FIELDS(ms, gflops, score_bytes)
};
inline timing benchmark(std::size_t n, std::size_t d, bool causal, std::size_t reps) {
    attn::require_whole_in("d", double(d), 1, 1024);
    attn::require_whole_in("reps", double(reps), 1, 100);
    const attn::attention_cost c = model(n, d, causal).cost;
    attn::require_memory("the naive kernel's score matrix", c.score_bytes, attn::page_memory_limit);
    static attn::matrix Q, K, V, O;  // kept between calls, as the comment above says
    static attn::kernels::scratch s;
    if (Q.shape(0) != n || Q.shape(1) != d)
        Q = attn::wave_matrix(n, d, 0), K = attn::wave_matrix(n, d, 1), V = attn::wave_matrix(n, d, 2),
        O = xt::zeros<float>({n, d});
    const attn::kernels::kernel_info& naive = attn::kernels::kernel("naive");
    attn::kernels::run_options o;
    o.causal = causal;
    const double ms =
        attn::kernels::median_ms([&] { naive.run(Q.data(), K.data(), V.data(), O.data(), n, n, d, d, o, s); }, reps);
    return {ms, c.flops / (ms * 1e6), c.score_bytes};
}

struct fitted {
    double c;  // t ≈ c·n²
    ATTN_FIELDS(c)
};
inline fitted fit(const std::vector<double>& n, const std::vector<double>& t) { return {attn::fit_n_squared(n, t)}; }

struct limit_result {
    double bytes;
    std::string text;
    ATTN_FIELDS(bytes, text)
};
inline limit_result limit() { return {attn::page_memory_limit, attn::format_bytes(attn::page_memory_limit)}; }

/// What `attnlab example 6 --json` prints: the model at n = 1024, d = 64.
struct at_1024 {
    double flops, causal_flops, exps, score_bytes;
    ATTN_FIELDS(flops, causal_flops, exps, score_bytes)
};
struct values {
    at_1024 n1024;
    ATTN_FIELDS(n1024)
};
inline values example_values() {
    const attn::attention_cost c = attn::attention_cost_model(1024, 1024, 64, 64, false);
    return {{c.flops, attn::attention_cost_model(1024, 1024, 64, 64, true).flops, c.exps, c.score_bytes}};
}

/// This machine's roof, measured here: the arithmetic peak of one core (8 independent chains of
/// SIMD multiply-adds, so the FMA units never wait) and the bandwidth of reading a buffer far larger
/// than any cache, each the best of `reps` runs.
struct measured_roof {
    double gflops, gbytes_per_s;
    std::string isa;
    ATTN_FIELDS(gflops, gbytes_per_s, isa)
};
inline measured_roof measure_roof(std::size_t reps) {
    attn::require_whole_in("reps", double(reps), 1, 20);
    namespace simd = attn::simd;
    using clock = std::chrono::steady_clock;
    auto seconds = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };
    const std::size_t iters = 1u << 20;
    double best_flops = 0;
    float sink = 0;
    for (std::size_t r = 0; r < reps; ++r) {
        simd::reg acc[8];
        for (auto& a : acc) a = simd::set1(float(r));
        const simd::reg x = simd::set1(0.999999f), y = simd::set1(1e-7f);
        const auto t0 = clock::now();
        for (std::size_t i = 0; i < iters; ++i)
            for (auto& a : acc) a = simd::fma(a, x, y);
        const auto t1 = clock::now();
        float out[simd::W];
        simd::store(out, simd::add(simd::add(acc[0], acc[7]), simd::add(acc[3], acc[5])));
        sink += out[0];
        best_flops = std::max(best_flops, 2.0 * 8 * simd::W * double(iters) / seconds(t0, t1));
    }
    static std::vector<float> big(std::size_t(8) << 20, 1.0f);  // 32 MiB: past every cache
    double best_bw = 0;
    for (std::size_t r = 0; r < reps; ++r) {
        simd::reg s0 = simd::zero(), s1 = simd::zero(), s2 = simd::zero(), s3 = simd::zero();
        const auto t0 = clock::now();
        for (std::size_t i = 0; i + 4 * simd::W <= big.size(); i += 4 * simd::W) {
            s0 = simd::add(s0, simd::load(&big[i]));
            s1 = simd::add(s1, simd::load(&big[i + simd::W]));
            s2 = simd::add(s2, simd::load(&big[i + 2 * simd::W]));
            s3 = simd::add(s3, simd::load(&big[i + 3 * simd::W]));
        }
        const auto t1 = clock::now();
        float out[simd::W];
        simd::store(out, simd::add(simd::add(s0, s1), simd::add(s2, s3)));
        sink += out[0];
        best_bw = std::max(best_bw, double(big.size()) * sizeof(float) / seconds(t0, t1));
    }
    static volatile float keep;  // the sums are used, so neither loop is optimised away
    keep = sink;
    return {best_flops / 1e9, best_bw / 1e9, simd::isa};
}

/// The roofline's steps and the published roofs, for the page's chart.
struct roofline {
    std::vector<attn::roofline_step> steps;
    std::vector<attn::machine_roof> roofs;
    ATTN_FIELDS(steps, roofs)
};
inline roofline roofline_model(std::size_t n, std::size_t d) {
    attn::require_whole_in("n", double(n), 1, 1 << 20);
    attn::require_whole_in("d", double(d), 1, 1024);
    return {attn::roofline_steps(n, d, n), attn::published_roofs()};
}

}  // namespace lessons::quadratic_cost
