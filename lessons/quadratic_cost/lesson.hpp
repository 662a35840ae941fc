// lessons/quadratic_cost/lesson.hpp — lesson 07's C++ API: the cost model, timed, and fitted.
//
// What the page's calculator asks the model, what its live timing runs (the naive
// kernel, through attn::kernels::time_kernel), the n² fit through the times, and the
// machine's measured roof.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/kernels/peak.hpp>
#include <attn/kernels/registry.hpp>

#include "question.hpp"

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
    attn::kernels::run_options o;
    o.causal = causal;
    const attn::kernels::timed_run r = attn::kernels::time_kernel("naive", n, d, o, reps);
    return {r.ms, r.gflops, c.score_bytes};
}

/// c in t ≈ c·n², through the measured times: the page gets it as {value}.
inline double fit(const std::vector<double>& n, const std::vector<double>& t) { return attn::fit_n_squared(n, t); }

struct limit_result {
    double bytes;
    std::string text;
    ATTN_FIELDS(bytes, text)
};
inline limit_result limit() { return {attn::page_memory_limit, attn::format_bytes(attn::page_memory_limit)}; }

/// What `attnlab example 7 --json` prints: the model at n = 1024, d = 64.
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

/// This machine's roof, measured here (attn/kernels/peak.hpp): one core's arithmetic peak and the
/// bandwidth of reading memory far larger than any cache, each the best of `reps` runs.
struct measured_roof {
    double gflops, gbytes_per_s;
    std::string isa;
    ATTN_FIELDS(gflops, gbytes_per_s, isa)
};
inline measured_roof measure_roof(std::size_t reps) {
    attn::require_whole_in("reps", double(reps), 1, 20);
    const attn::kernels::roof r = attn::kernels::measure_roof(reps);
    return {r.gflops, r.gbytes_per_s, attn::simd::isa};
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

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat;
    return {
        {"doubling",
         [] {
             const double a = attn::attention_cost_model(1024, 1024, 64, 64, false).score_bytes;
             const double b = attn::attention_cost_model(2048, 2048, 64, 64, false).score_bytes;
             return std::vector<double>{b / a};
         }},
        {"flops",
         [] { return std::vector<double>{attn::attention_cost_model(1024, 1024, 64, 64, false).flops}; },
         {[] { return std::vector<double>{attn::attention_cost_model(1024, 1024, 64, 64, false).flops / 2}; },
          [] { return std::vector<double>{attn::attention_cost_model(1024, 1024, 64, 64, true).flops}; }},
         {},
         [] {
             const attn::attention_cost c = attn::attention_cost_model(1024, 1024, 64, 64, false);
             return std::vector<std::string>{
                 "pairs: 1024² = " + checks::text(c.pairs, 0),
                 "2 · pairs · (64 + 64) = 2 · " + checks::text(c.pairs, 0) + " · 128 = " + checks::text(c.flops, 0)};
         }},
        {"one-row",
         [] {
             // one query row at a time (v2_online keeps no row at all) gives the reference's numbers
             const attn::matrix Q = mat({{1, 0}, {0, 1}, {1, 1}}), K = mat({{1, 2}, {0, 1}, {2, 0}}),
                                V = mat({{1, 0}, {0, 1}, {1, 1}});
             attn::matrix O = xt::zeros<float>({3, 2});
             for (std::size_t i = 0; i < 3; ++i)
                 xt::view(O, xt::range(i, i + 1), xt::all()) =
                     attn::attention(xt::view(Q, xt::range(i, i + 1), xt::all()), K, V);
             return std::vector<double>{xt::amax(xt::abs(O - attn::attention(Q, K, V)))() < 1e-6 ? 1.0 : 0.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{2}; }}},
        {"paper-growth",
         [] {
             std::vector<double> out;
             for (std::size_t n : {1024, 2048, 4096})
                 out.push_back(attn::attention_cost_model(n, n, 64, 64, false).score_bytes / (1024.0 * 1024.0));
             return out;
         },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             std::vector<std::string> lines;
             for (std::size_t n : {1024, 2048, 4096}) {
                 const double b = attn::attention_cost_model(n, n, 64, 64, false).score_bytes;
                 lines.push_back("n = " + std::to_string(n) + ": " + std::to_string(n) + " · " + std::to_string(n) +
                                 " scores · 4 bytes = " + checks::text(b, 0) +
                                 " bytes = " + checks::num(b / (1024.0 * 1024.0)) + " MiB");
             }
             return lines;
         }},
        {"paper-flops",
         [] { return std::vector<double>{attn::attention_cost_model(1000, 1000, 64, 64, false).flops / 1e6}; },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             const attn::attention_cost c = attn::attention_cost_model(1000, 1000, 64, 64, false);
             return std::vector<std::string>{
                 "pairs = 1000 · 1000 = " + checks::text(c.pairs, 0),
                 "Q·Kᵀ: 2 · pairs · d_k = " + checks::text(2 * c.pairs * 64, 0),
                 "P·V: 2 · pairs · d_v = " + checks::text(2 * c.pairs * 64, 0),
                 "total " + checks::text(c.flops, 0) + " FLOPs ≈ " + checks::text(c.flops / 1e6, 0) + " million"};
         }},
    };
}

}  // namespace lessons::quadratic_cost
