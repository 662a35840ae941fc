// lessons/quadratic_cost/lesson.hpp — lesson 06's C++ API: the cost model, timed, and fitted.
//
// What the page's calculator asks the model, what its live timing runs (the naive
// kernel on inputs made once per size and kept, since growing the wasm heap and
// touching fresh pages costs more than the work), and the n² fit through the times.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/kernels/registry.hpp>
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

}  // namespace lessons::quadratic_cost
