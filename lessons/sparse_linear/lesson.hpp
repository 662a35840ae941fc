// lessons/sparse_linear/lesson.hpp — lesson 19's C++ API: sparse patterns and their tiles, linear attention,
// its recurrent state, its cost against softmax attention's, and the recall task it fails.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/kernels/registry.hpp>  // median_ms
#include <attn/kernels/sparse.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/linear.hpp>
#include <attn/rng.hpp>  // the same numbers natively and in the page
#include <attn/sparse.hpp>
#include <attn/window.hpp>

#include "question.hpp"

namespace lessons::sparse_linear {

// ---- Sparse patterns ----

/// The patterns the page and the walkthrough compare, by name.
inline const std::vector<std::string>& pattern_names() {
    static const std::vector<std::string> names{"causal", "window", "strided", "strided-blocks", "fixed", "bigbird"};
    return names;
}

/// Pattern `name` over n tokens, with l its length in tokens: the window (lesson 12), the stride
/// (strided, and strided-blocks in 64-token blocks, l/64 blocks), the run (fixed, with l/8 summary
/// keys). BigBird: blocks of 64, a window of 3 blocks, 1 global block and 2 random blocks.
inline attn::mask pattern(const std::string& name, std::size_t n, std::size_t l) {
    attn::require_whole_in("n", double(n), 1, 4096);
    attn::require_whole_in("l", double(l), 1, double(n));
    if (name == "causal") return attn::causal_mask(n);
    if (name == "window") return attn::window_mask(n, l, true);
    if (name == "strided") return attn::strided_mask(n, l);
    if (name == "strided-blocks") return attn::expand(attn::strided_blocks(n, 64, std::max<std::size_t>(1, l / 64)));
    if (name == "fixed") return attn::fixed_mask(n, l, std::max<std::size_t>(1, l / 8));
    if (name == "bigbird") return attn::expand(attn::bigbird_blocks(n, 64, 3, 1, 2, 1));
    std::string known;
    for (const auto& p : pattern_names()) known += (known.empty() ? "" : ", ") + p;
    throw attn::value_error("there is no pattern '" + name + "'; the patterns are " + known);
}

/// A pattern as the page draws it: its pairs averaged over cells of `cell`×`cell` tokens (at most 64 a
/// side), its 64×64 tiles (0 skipped, 1 partial, 2 full) and what it costs.
struct pattern_view {
    std::vector<std::vector<double>> density;
    std::vector<std::vector<int>> tiles;
    std::size_t cell;
    bool causal;
    attn::pattern_cost cost;
    ATTN_FIELDS(density, tiles, cell, causal, cost)
};
inline pattern_view view(const std::string& name, std::size_t n, std::size_t l) {
    const attn::mask M = pattern(name, n, l);
    const bool causal = name != "bigbird";
    const std::size_t cell = (n + 63) / 64, side = (n + cell - 1) / cell;
    const attn::tile_plan plan = attn::plan_tiles(M);  // once: the costs and the picture both read it
    pattern_view v{std::vector<std::vector<double>>(side, std::vector<double>(side)),
                   {},
                   cell,
                   causal,
                   attn::sparse_cost(plan, causal)};
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) v.density[i / cell][j / cell] += M(i, j);
    for (auto& row : v.density)
        for (double& x : row) x /= double(cell * cell);
    v.tiles = attn::tile_grid(attn::plan_visits(plan), plan.k_blocks());
    return v;
}

/// v4_sparse on the pattern against v4_simd on the full (causal) matrix, both timed in this build, d = 64;
/// diff: v4_sparse against the masked reference (n ≤ 1024; -1 beyond).
struct kernel_result {
    double ms_sparse, ms_dense, tiles, dense_tiles, diff;
    ATTN_FIELDS(ms_sparse, ms_dense, tiles, dense_tiles, diff)
};
inline kernel_result kernel(const std::string& name, std::size_t n, std::size_t l) {
    const attn::mask M = pattern(name, n, l);
    const bool causal = name != "bigbird";
    const attn::qkv in = attn::normal_qkv(n, 64, 7);
    attn::kernels::counters s, f;
    const double ms_sparse =
        attn::kernels::median_ms([&] { s = {}, attn::kernels::v4_sparse(in.Q, in.K, in.V, M, 1, &s); }, 3);
    const double ms_dense =
        attn::kernels::median_ms([&] { f = {}, attn::kernels::v4_simd(in.Q, in.K, in.V, causal, 1, &f); }, 3);
    const double diff = n <= 1024 ? attn::max_abs_diff(attn::kernels::v4_sparse(in.Q, in.K, in.V, M),
                                                       attn::masked_attention(in.Q, in.K, in.V, M))
                                  : -1;
    return {ms_sparse, ms_dense, s.tiles, f.tiles, diff};
}

// ---- Linear attention ----

/// Eight tokens with queries, keys and values of width 4, N(0, 1) from seed 18.
struct example {
    std::vector<std::string> tokens;
    attn::matrix Q, K, V;  // (8, 4) each
    ATTN_FIELDS(tokens, Q, K, V)
};
inline example fixed_example() {
    const attn::qkv in = attn::normal_qkv(8, 4, 18);
    return {{"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"}, in.Q, in.K, in.V};
}

/// The example's weights both ways: softmax's P and linear attention's A (never formed by the
/// kernel), with the features φ(Q), φ(K); and both outputs.
struct weights_view {
    attn::matrix S, P, A, fQ, fK, O_softmax, O_linear;  // S: the scaled scores, −∞ where causal hides a key
    ATTN_FIELDS(S, P, A, fQ, fK, O_softmax, O_linear)
};
inline weights_view weights(bool causal) {
    const example ex = fixed_example();
    const attn::matrix S = causal ? attn::apply_mask(attn::scaled_scores(ex.Q, ex.K), attn::causal_mask(8))
                                  : attn::scaled_scores(ex.Q, ex.K);
    const attn::matrix P = attn::softmax_rows(S);
    return {S,
            P,
            attn::linear_weights(ex.Q, ex.K, causal),
            attn::feature_map(ex.Q),
            attn::feature_map(ex.K),
            causal ? attn::causal_attention(ex.Q, ex.K, ex.V) : attn::attention(ex.Q, ex.K, ex.V),
            causal ? attn::causal_linear_attention(ex.Q, ex.K, ex.V) : attn::linear_attention(ex.Q, ex.K, ex.V)};
}

/// The recurrent form at token t of the example: the state after tokens 0..t, the output it gives
/// (φ(q_t)ᵀS / φ(q_t)·z) and row t of the quadratic form A·V, which it equals.
struct state_view {
    attn::linear_state state;
    attn::vector fk, v, fq, o, o_quadratic;
    ATTN_FIELDS(state, fk, v, fq, o, o_quadratic)
};
/// The example's causal output the long way: its weights formed whole, A·V (8 × 4).
inline attn::matrix causal_formed_whole(const example& ex) {
    const attn::matrix A = attn::linear_weights(ex.Q, ex.K, true);
    attn::matrix O = xt::zeros<attn::real>({ex.Q.shape(0), ex.V.shape(1)});
    for (std::size_t i = 0; i < A.shape(0); ++i)
        for (std::size_t j = 0; j <= i; ++j) xt::row(O, i) += A(i, j) * xt::row(ex.V, j);
    return O;
}

inline state_view state(std::size_t t) {
    const example ex = fixed_example();
    attn::require_whole_in("token t", double(t), 0, 7);
    const attn::matrix O = attn::causal_linear_attention(ex.Q, ex.K, ex.V);
    return {attn::linear_state_after(ex.K, ex.V, t + 1),
            xt::row(attn::feature_map(ex.K), t),
            xt::row(ex.V, t),
            xt::row(attn::feature_map(ex.Q), t),
            xt::row(O, t),
            xt::row(causal_formed_whole(ex), t)};
}

/// FLOPs of both at n tokens, d_k = d_v = d, and the smallest n at which linear attention's FLOPs
/// are fewer than softmax attention's (searched, by the two cost models).
struct cost_view {
    attn::linear_cost linear;
    double softmax_flops, crossover;
    ATTN_FIELDS(linear, softmax_flops, crossover)
};
inline double flops_crossover(std::size_t d, bool causal) {
    for (std::size_t n = 1; n < 1u << 20; ++n) {
        const attn::linear_cost c = attn::linear_cost_model(n, d, d, causal);
        if (c.flops < c.softmax_flops) return double(n);
    }
    return -1;
}
inline cost_view cost(std::size_t n, std::size_t d, bool causal) {
    attn::require_whole_in("n", double(n), 1, 1 << 20);
    attn::require_whole_in("d", double(d), 1, 1024);
    const attn::linear_cost c = attn::linear_cost_model(n, d, d, causal);
    return {c, c.softmax_flops, flops_crossover(d, causal)};
}

/// One size of the crossover sweep, d = 64: the median times of v4_simd and of linear attention on
/// the same Q, K, V (causal: causal_linear_attention), in this build.
struct timing {
    double n, softmax_ms, linear_ms;
    ATTN_FIELDS(n, softmax_ms, linear_ms)
};
inline timing time_both(std::size_t n, bool causal, std::size_t reps) {
    attn::require_whole_in("n", double(n), 1, 8192);
    attn::require_whole_in("repetitions", double(reps), 1, 50);
    const attn::matrix Q = attn::wave_matrix(n, 64, 0), K = attn::wave_matrix(n, 64, 1),
                       V = attn::wave_matrix(n, 64, 2);
    // Short calls are repeated inside each timing, so that a page's coarse clock (0.1 ms) still resolves them.
    const std::size_t inner = std::clamp<std::size_t>(2000000 / (n * n), 1, 512);
    const double s = attn::kernels::median_ms(
        [&] {
            for (std::size_t k = 0; k < inner; ++k) attn::kernels::v4_simd(Q, K, V, causal);
        },
        reps);
    const double l = attn::kernels::median_ms(
        [&] {
            for (std::size_t k = 0; k < inner; ++k)
                causal ? attn::causal_linear_attention(Q, K, V) : attn::linear_attention(Q, K, V);
        },
        reps);
    return {double(n), s / double(inner), l / double(inner)};
}

/// The recall task with `pairs` pairs at d = 64 (q = its key, seed 5, 200 questions): each form's
/// accuracy, and question 0's weights over the pairs both ways, with the pair it asks for.
struct recall_view {
    double softmax, linear;
    attn::vector softmax_w, linear_w;
    std::size_t answer;
    ATTN_FIELDS(softmax, linear, softmax_w, linear_w, answer)
};
inline recall_view recall(std::size_t pairs) {
    attn::require_whole_in("pairs", double(pairs), 2, 1024);
    const attn::recall_task t = attn::make_recall_task(pairs, 64, 200, 1.0f, 5);
    const attn::matrix q = xt::view(t.queries, xt::range(0, 1), xt::all());
    return {attn::recall_accuracy(t, false), attn::recall_accuracy(t, true),
            xt::row(attn::softmax_rows(attn::scaled_scores(q, t.keys)), 0),
            xt::row(attn::linear_weights(q, t.keys, false), 0), t.answers[0]};
}

/// What `attnlab example sparse_linear --json` prints and the browser test checks the page against.
struct values {
    attn::matrix Q, K, V, A, O_linear, O_causal;
    ATTN_FIELDS(Q, K, V, A, O_linear, O_causal)
};
inline values example_values() {
    const example ex = fixed_example();
    return {ex.Q,
            ex.K,
            ex.V,
            attn::linear_weights(ex.Q, ex.K, false),
            attn::linear_attention(ex.Q, ex.K, ex.V),
            attn::causal_linear_attention(ex.Q, ex.K, ex.V)};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat;
    const attn::matrix ex_K = mat({{0, 1}, {1, 0}, {1, 1}}), ex_V = mat({{1, 0}, {0, 1}, {1, 1}}), ex_q = mat({{1, 0}});
    auto row_sum = [](const attn::mask& M, std::size_t i) {
        double s = 0;
        for (std::size_t j = 0; j < M.shape(1); ++j) s += M(i, j);
        return s;
    };
    return {
        {"strided-keys",
         [=] { return std::vector<double>{row_sum(attn::strided_mask(4096, 64), 4095)}; },
         {[] { return std::vector<double>{64}; }, [] { return std::vector<double>{4096}; }},
         {},
         [=] {
             const attn::mask M = attn::strided_mask(4096, 64);
             double local = 0;
             for (std::size_t j = 4095 - 63; j <= 4095; ++j) local += M(4095, j);
             return std::vector<std::string>{
                 "the last l = 64 keys, itself included: " + checks::num(local),
                 "further back, every 64th: 4095 − 64, 4095 − 128, …, down to key 63: " +
                     checks::num(row_sum(M, 4095) - local),
                 "in all " + checks::num(row_sum(M, 4095)) + ", about 2√n, against 4096 for full causal attention"};
         }},
        {"strided-tiles",
         [] {
             const attn::pattern_cost c = attn::sparse_cost(attn::strided_mask(4096, 64), true);
             return std::vector<double>{c.computed == c.dense_tiles ? 2.0 : c.computed * 2 < c.dense_tiles ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{1}; }},
         {},
         [] {
             const attn::pattern_cost c = attn::sparse_cost(attn::strided_mask(4096, 64), true);
             return std::vector<std::string>{
                 "pairs kept: " + checks::text(100 * c.pairs / c.dense_pairs, 1) + " % of the causal triangle's",
                 "tiles computed: " + std::to_string(c.computed) + " of the triangle's " +
                     std::to_string(c.dense_tiles) + ", " + std::to_string(c.partial) + " of them partial",
                 "each row of a tile below the diagonal holds one strided key"};
         }},
        {"linear-flops",
         [] {
             const attn::linear_cost c = attn::linear_cost_model(4096, 64, 64, false);
             return std::vector<double>{c.softmax_flops / c.flops};
         },
         {[] { return std::vector<double>{4096}; }},
         {},
         [] {
             const attn::linear_cost c = attn::linear_cost_model(4096, 64, 64, false);
             return std::vector<std::string>{"softmax: n²·2(d_k + d_v) = " + attn::format_number(c.softmax_flops),
                                             "linear: about 4·n·d_k·d_v = " + attn::format_number(c.flops),
                                             "ratio " + checks::text(c.softmax_flops / c.flops, 1) + ", about n / d"};
         }},
        {"recall-gap",
         [] {
             const attn::recall_task t = attn::make_recall_task(64, 64, 200, 1.0f, 5);
             return std::vector<double>{attn::recall_accuracy(t, true) * 2 <= attn::recall_accuracy(t, false) ? 0.0
                                                                                                              : 1.0};
         },
         {[] { return std::vector<double>{1}; }, [] { return std::vector<double>{2}; }},
         {},
         [] {
             const attn::recall_task t = attn::make_recall_task(64, 64, 200, 1.0f, 5);
             return std::vector<std::string>{
                 "64 pairs, d = 64: softmax attention answers " +
                     checks::text(100 * attn::recall_accuracy(t, false), 1) + " % of the questions",
                 "linear attention answers " + checks::text(100 * attn::recall_accuracy(t, true), 1) + " %"};
         }},
        {"paper-linear",
         [=] { return checks::flat(attn::linear_attention(ex_q, ex_K, ex_V)); },
         {},
         [=] {
             return std::vector<checks::given>{{"q", ex_q}, {"K", ex_K}, {"V", ex_V}};
         },
         [=] {
             const attn::linear_state s = attn::linear_state_after(ex_K, ex_V, 3);
             const attn::matrix fq = attn::feature_map(ex_q);
             attn::matrix num = xt::zeros<attn::real>({std::size_t(1), std::size_t(2)});
             for (std::size_t e = 0; e < 2; ++e) num(0, e) = fq(0, 0) * s.S(0, e) + fq(0, 1) * s.S(1, e);
             const double den = fq(0, 0) * s.z(0) + fq(0, 1) * s.z(1);
             const auto fK = checks::rows_text(attn::feature_map(ex_K), 0);
             std::vector<std::string> lines{
                 "φ(K) = K + 1 (every entry ≥ 0): " + fK[0] + "; " + fK[1] + "; " + fK[2],
                 "S = φ(K)ᵀV = " + checks::rows_text(s.S, 0)[0] + "; " + checks::rows_text(s.S, 0)[1],
                 "z = φ(K)ᵀ1 = " + checks::tuple_text(s.z, 0), "φ(q) = " + checks::rows_text(fq, 0)[0]};
             lines.push_back("φ(q)ᵀS = " + checks::rows_text(num, 0)[0] + ", φ(q)·z = " + checks::num(den));
             lines.push_back("o = " + checks::rows_text(attn::linear_attention(ex_q, ex_K, ex_V), 3)[0]);
             return lines;
         }},
        {"paper-bigbird",
         [] { return checks::flat(attn::bigbird_blocks(5, 1, 3, 1, 0).blocks); },
         {},
         [] { return std::vector<checks::given>{}; },
         [] { return checks::visible_lines(attn::bigbird_blocks(5, 1, 3, 1, 0).blocks); }},
    };
}

}  // namespace lessons::sparse_linear
