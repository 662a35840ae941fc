// lessons/tiled/lesson.hpp — lesson 09's C++ API: the tile schedule, and the four kernels run side by side.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <attn/attention.hpp>
#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/kernels/registry.hpp>
#include <attn/rng.hpp>
#include <attn/tiled.hpp>

#include "question.hpp"

namespace lessons::tiled {

/// The example's inputs at n tokens of width d: the same smooth values everywhere (attn::wave_matrix).
struct inputs {
    attn::matrix Q, K, V;
};
inline inputs example_inputs(std::size_t n, std::size_t d) {
    return {attn::wave_matrix(n, d, 4), attn::wave_matrix(n, d, 5), attn::wave_matrix(n, d, 6)};
}

/// The tiled loop run for the page: n tokens of width 2 (attn::wave_matrix) as Q, K and V, in Br×Bc
/// blocks; every tile it visits and every row's state after each tile.
struct loop_trace {
    std::vector<attn::tile_visit> tiles;
    std::vector<attn::row_step> rows;
};
inline loop_trace trace(std::size_t n, std::size_t Br, std::size_t Bc, bool causal) {
    for (auto [what, x] : {std::pair{"n", n}, {"Br", Br}, {"Bc", Bc}}) attn::require_whole_in(what, double(x), 1, 4096);
    const attn::matrix X = attn::wave_matrix(n, 2, 1);
    loop_trace t;
    attn::tiled_attention(X, X, X, Br, Bc, causal, &t.tiles, &t.rows);
    return t;
}

/// The tiles the loop visits, and the memory each way (d = 64).
struct schedule_result {
    std::vector<attn::tile_visit> tiles;
    double naive_bytes, tiled_bytes;
    ATTN_FIELDS(tiles, naive_bytes, tiled_bytes)
};
inline schedule_result schedule(std::size_t n, std::size_t Br, std::size_t Bc, bool causal) {
    return {trace(n, Br, Bc, causal).tiles, double(n) * double(n) * 4, attn::tiled_extra_bytes(Br, Bc, 64)};
}

/// What the step-through draws after tile `at` (from 0): the tile, its scores, and the running m, ℓ
/// and O_i of its query block's rows.
inline attn::tile_step step(std::size_t n, std::size_t Br, std::size_t Bc, bool causal, std::size_t at) {
    const loop_trace t = trace(n, Br, Bc, causal);
    return attn::tiled_step(t.tiles, t.rows, at);
}

/// n = 4, Br = Bc = 2, d = 1: the tiles visited in FA-2's order with each row's state after each,
/// FA-1's order for the same tiles, the outputs both ways and lesson 03's attention.
struct two_tiles {
    std::vector<attn::tile_visit> visits, visits_fa1;
    std::vector<attn::row_step> after;  // one per visit per row, in visit order
    attn::vector O, O_fa1, reference;
    ATTN_FIELDS(visits, visits_fa1, after, O, O_fa1, reference)
};
inline two_tiles two_tile_example() {
    const attn::matrix Q = {{1}, {0.5}, {-1}, {2}}, K = {{0}, {1}, {2}, {3}}, V = {{1}, {2}, {3}, {4}};
    two_tiles w;
    w.O = xt::col(attn::tiled_attention(Q, K, V, 2, 2, false, &w.visits, &w.after), 0);
    w.O_fa1 = xt::col(attn::tiled_attention_fa1(Q, K, V, 2, 2, &w.visits_fa1), 0);
    w.reference = xt::col(attn::attention(Q, K, V), 0);
    return w;
}

/// The on-chip memories of step 6: a reference CPU core and a GPU multiprocessor.
inline std::vector<std::pair<std::string, double>> reference_memories() {
    return {{"CPU core L1d, 48 KiB (e.g. Golden Cove)", 48 * 1024.0},
            {"CPU core L2, 2 MiB (Sapphire Rapids)", 2048 * 1024.0},
            {"GPU SM L1+shared, 192 KiB (A100)", 192 * 1024.0}};
}

/// The page's sidebar: FlashAttention's block sizes and IO count for an on-chip memory of `kib` KiB.
inline attn::flash_io sram(double kib, std::size_t N, std::size_t d) {
    attn::require_whole_in("N", double(N), 1, 1 << 20);
    attn::require_whole_in("d", double(d), 1, 1024);
    if (!(kib >= 1 && kib <= 1 << 20)) throw attn::value_error("the on-chip memory must be from 1 KiB to 1 GiB");
    return attn::flash_io_model(kib * 1024, N, d);
}

/// The two loop orders over the same tiles, for the page (not causal).
struct orders {
    std::vector<attn::tile_visit> fa2, fa1;
    ATTN_FIELDS(fa2, fa1)
};
inline orders loop_orders(std::size_t n, std::size_t Br, std::size_t Bc) {
    for (auto [what, x] : {std::pair{"n", n}, {"Br", Br}, {"Bc", Bc}}) attn::require_whole_in(what, double(x), 1, 4096);
    const attn::matrix X = attn::wave_matrix(n, 2, 1);
    orders o;
    attn::tiled_attention(X, X, X, Br, Bc, false, &o.fa2);
    attn::tiled_attention_fa1(X, X, X, Br, Bc, &o.fa1);
    return o;
}

/// One kernel timed on the example's inputs at d = 64, and its output checked against the naive kernel.
struct kernel_run {
    double ms, gflops;
    attn::matrix O_first_rows, O_last_row;  // (3, 64) and (1, 64)
    double max_diff;                        // against v1_naive, where its n² buffer fits in the page
    std::string isa;
    ATTN_FIELDS(ms, gflops, O_first_rows, O_last_row, max_diff, isa)
};
inline kernel_run run(const std::string& version, std::size_t n, bool causal, std::size_t reps) {
    attn::require_whole_in("n", double(n), 1, 16384);
    attn::require_whole_in("reps", double(reps), 1, 50);
    attn::kernels::run_options o;
    o.causal = causal, o.limit_bytes = attn::page_memory_limit;
    const attn::kernels::timed_run r = attn::kernels::time_kernel(version, n, 64, o, reps, 4);  // example_inputs
    const bool fits = double(n) * double(n) * 4 <= attn::page_memory_limit;
    const inputs in = fits ? example_inputs(n, 64) : inputs{};
    return {r.ms,
            r.gflops,
            xt::view(r.O, xt::range(0, std::min<std::size_t>(3, n)), xt::all()),
            xt::view(r.O, xt::range(n - 1, n), xt::all()),
            fits ? attn::max_abs_diff(r.O, attn::kernels::v1_naive(in.Q, in.K, in.V, causal)) : 0.0,
            attn::kernels::kernel(version).isa};
}

/// What `attnlab example 9 --json` prints: v1_naive on the example at n = 257, causal.
struct values {
    std::size_t n, d;
    attn::matrix O_first_rows, O_last_row;
    double tiled_bytes;
    ATTN_FIELDS(n, d, O_first_rows, O_last_row, tiled_bytes)
};
inline values example_values() {
    const std::size_t n = 257;
    const inputs in = example_inputs(n, 64);
    const attn::matrix O = attn::kernels::v1_naive(in.Q, in.K, in.V, true);
    return {n, 64, xt::view(O, xt::range(0, 3), xt::all()), xt::view(O, xt::range(n - 1, n), xt::all()),
            attn::tiled_extra_bytes(64, 64, 64)};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_s = checks::mat({{1, 2}, {4, 0}});  // one query row's scores, tile by tile
    return {
        {"causal-tiles",
         [] {
             const attn::matrix X = xt::zeros<float>({256, 4});
             std::vector<attn::tile_visit> trace;
             attn::tiled_attention(X, X, X, 64, 64, true, &trace);
             double computed = 0;
             for (const auto& t : trace) computed += !t.skipped;
             return std::vector<double>{computed};
         },
         {},
         {},
         [] {
             std::vector<attn::tile_visit> visits;
             const attn::matrix Z = xt::zeros<attn::real>({256, 1});
             attn::tiled_attention(Z, Z, Z, 64, 64, true, &visits);
             std::size_t computed = 0, masked = 0;
             std::string sum;
             for (std::size_t b = 0; b < 4; ++b) {
                 std::size_t row = 0;
                 for (const auto& v : visits)
                     if (v.q0 == b * 64 && !v.skipped) ++row, masked += v.masked;
                 sum += (b ? " + " : "") + std::to_string(row);
                 computed += row;
             }
             return std::vector<std::string>{
                 "256 / 64 = 4 blocks each way: 4 × 4 = " + std::to_string(visits.size()) + " tiles",
                 "computed, query block by block: " + sum + " = " + std::to_string(computed),
                 std::to_string(masked) + " of them on the diagonal, masked inside; " +
                     std::to_string(visits.size() - computed) + " skipped"};
         }},
        {"approximate",
         [] {
             const attn::matrix Q = mat({{1, 0, 2}, {0, 1, 1}, {1, 1, 0}, {2, 0, 1}, {0, 2, 1}});
             const attn::matrix K = mat({{1, 2, 0}, {0, 1, 3}, {2, 0, 1}, {1, 1, 1}, {3, 0, 0}});
             const double diff = xt::amax(xt::abs(attn::tiled_attention(Q, K, Q, 2, 2) - attn::attention(Q, K, Q)))();
             return std::vector<double>{diff < 1e-6 ? 1.0 : 0.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{2}; }}},
        {"extra-memory",
         [] { return std::vector<double>{attn::tiled_extra_bytes(64, 64, 64)}; },
         {[] { return std::vector<double>{64.0 * 64 * 4}; }},
         {},
         [] {
             const double bytes = attn::tiled_extra_bytes(64, 64, 64);
             return std::vector<std::string>{
                 "64 × 64 scores + 64 m + 64 ℓ + 64 × 64 outputs = " + checks::text(bytes / 4, 0) + " floats",
                 "× 4 bytes = " + checks::text(bytes, 0) + " bytes = " + checks::num(bytes / 1024) + " KiB"};
         }},
        {"paper-schedule",
         [] {
             std::vector<attn::tile_visit> visits;
             const attn::matrix Z = xt::zeros<attn::real>({6, 2});
             attn::tiled_attention(Z, Z, Z, 2, 2, true, &visits);
             std::vector<double> out;
             for (const auto& row : attn::tile_grid(visits, 3)) out.insert(out.end(), row.begin(), row.end());
             return out;
         },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             std::vector<attn::tile_visit> visits;
             const attn::matrix Z = xt::zeros<attn::real>({6, 2});
             attn::tiled_attention(Z, Z, Z, 2, 2, true, &visits);
             std::vector<std::string> lines;
             for (const auto& v : visits)
                 lines.push_back("queries " + std::to_string(v.q0 + 1) + "–" + std::to_string(v.q1) + ", keys " +
                                 std::to_string(v.k0 + 1) + "–" + std::to_string(v.k1) + ": " +
                                 (v.skipped  ? "0, skipped: every key is after every query"
                                  : v.masked ? "1, computed with the mask: it straddles the diagonal"
                                             : "2, computed in full: every key is at or before every query"));
             return lines;
         }},
        {"paper-fold",
         [=] {
             std::vector<double> out;
             attn::online_row row = attn::start_row(1);
             for (std::size_t t = 0; t < 2; ++t) {
                 const attn::real rescale = attn::fold_row(row, xt::row(ex_s, t), xt::zeros<attn::real>({2, 1}));
                 out.insert(out.end(), {row.m, rescale, row.l});
             }
             return out;
         },
         {},
         [=] {
             return std::vector<checks::given>{{"scores, tile by tile", ex_s}};
         },
         [=] {
             std::vector<std::string> lines{"e⁻¹ = " + checks::text(std::exp(-1.0), 3) +
                                            ", e⁻² = " + checks::text(std::exp(-2.0), 3) +
                                            ", e⁻⁴ = " + checks::text(std::exp(-4.0), 3)};
             attn::online_row row = attn::start_row(1);
             for (std::size_t t = 0; t < 2; ++t) {
                 const attn::real old_l = row.l, old_m = row.m;
                 const attn::real rescale = attn::fold_row(row, xt::row(ex_s, t), xt::zeros<attn::real>({2, 1}));
                 std::string line = "tile " + std::to_string(t + 1) + ": m = " + checks::num(row.m) + ", rescale = " +
                                    (std::isinf(old_m) ? "e^(−∞) = " + checks::num(rescale) + " (nothing before it)"
                                                       : "e^(" + checks::num(old_m) + " − " + checks::num(row.m) +
                                                             ") = " + checks::text(rescale, 3)) +
                                    ", ℓ = " + checks::text(old_l, 3) + "·" + checks::text(rescale, 3);
                 for (std::size_t j = 0; j < 2; ++j)
                     line += " + e^(" + checks::num(ex_s(t, j)) + " − " + checks::num(row.m) + ")";
                 lines.push_back(line + " = " + checks::text(row.l, 3));
             }
             return lines;
         }},
    };
}

}  // namespace lessons::tiled
