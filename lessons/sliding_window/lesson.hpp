// lessons/sliding_window/lesson.hpp — lesson 12's C++ API: the band, its tiles, and the kernel that skips them.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/rng.hpp>  // the same numbers natively and in the page
#include <attn/window.hpp>

#include "question.hpp"

namespace lessons::sliding_window {

/// The window's weights on n seeded tokens (d = 8), and how many pairs it keeps of how many.
struct band_result {
    attn::matrix S, P;  // the scaled scores (−∞ outside the window) and the weights
    double pairs, full;
    ATTN_FIELDS(S, P, pairs, full)
};
inline band_result band(std::size_t n, std::size_t w, bool causal) {
    attn::require_whole_in("n", double(n), 1, 64);
    attn::require_whole_in("window w", double(w), 1, 1e6);
    const attn::qkv in = attn::normal_qkv(n, 8, 16);
    const attn::attention_steps a = attn::masked_attention_explained(in.Q, in.K, in.V, attn::window_mask(n, w, causal));
    return {a.S, a.P, attn::window_pairs(n, w, causal), attn::attention_cost_model(n, n, 1, 1, causal).pairs};
}

/// The tiled kernel's view of the band: 0 skipped, 1 masked, 2 computed whole, per B×B tile.
struct tile_grid {
    std::vector<std::vector<int>> grid;
    double computed, total;
    ATTN_FIELDS(grid, computed, total)
};
inline tile_grid tiles(std::size_t n, std::size_t w, bool causal, std::size_t B) {
    attn::require_whole_in("n", double(n), 1, 1 << 16);
    attn::require_whole_in("window w", double(w), 1, 1e6);
    attn::require_whole_in("block size", double(B), 1, 4096);
    const std::size_t side = (n + B - 1) / B;
    if (side > 64) throw attn::value_error("tiles: at most 64 tiles a side fit on the page; use a larger block");
    const auto visits = attn::window_tiles(n, w, causal, B, B);
    const auto computed = std::count_if(visits.begin(), visits.end(), [](const auto& v) { return !v.skipped; });
    return {attn::tile_grid(visits, side), double(computed), double(side * side)};
}

/// v4_window against the reference (diff, for n ≤ 1024; -1 beyond) and timed against v4_simd without a window.
struct kernel_result {
    double diff, tiles, full_tiles, ms_window, ms_full;
    ATTN_FIELDS(diff, tiles, full_tiles, ms_window, ms_full)
};
inline kernel_result kernel(std::size_t n, std::size_t w, bool causal) {
    attn::require_whole_in("n", double(n), 1, 8192);
    attn::require_whole_in("window w", double(w), 1, 1e6);
    const attn::qkv in = attn::normal_qkv(n, 64, 7);
    using clock = std::chrono::steady_clock;
    attn::kernels::counters c, f;
    const auto t0 = clock::now();
    const attn::matrix O = attn::kernels::v4_window(in.Q, in.K, in.V, w, causal, 1, &c);
    const auto t1 = clock::now();
    attn::kernels::v4_simd(in.Q, in.K, in.V, causal, 1, &f);
    const auto t2 = clock::now();
    // the reference holds n² scores: only for n ≤ 1024
    const double diff = n <= 1024 ? attn::max_abs_diff(O, attn::window_attention(in.Q, in.K, in.V, w, causal)) : -1;
    return {diff, c.tiles, f.tiles, std::chrono::duration<double, std::milli>(t1 - t0).count(),
            std::chrono::duration<double, std::milli>(t2 - t1).count()};
}

/// The positions `layers` stacked windows of w reach: the page gets it as {value}.
inline std::size_t receptive(std::size_t layers, std::size_t w) {
    attn::require_whole_in("layers", double(layers), 1, 1000);
    attn::require_whole_in("window w", double(w), 1, 1e6);
    return attn::receptive_field(layers, w);
}

/// What `attnlab example 12 --json` prints: the band of 4 over 16 seeded tokens.
struct values {
    attn::matrix Q, P;
    ATTN_FIELDS(Q, P)
};
inline values example_values() {
    const attn::qkv in = attn::normal_qkv(16, 8, 16);
    return {in.Q, band(16, 4, true).P};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    return {
        {"window-pairs",
         [] { return std::vector<double>{attn::window_pairs(5, 3, true)}; },
         {},
         {},
         [] {
             return std::vector<std::string>{
                 "a query sees at most w = 3 keys: itself and w − 1 = 2 before it",
                 "queries 0..4: " + checks::visible_sum(attn::window_mask(5, 3, true)),
                 "causal without a window: 5 · 6 / 2 = " + checks::text(attn::window_pairs(5, 5), 0)};
         }},
        {"window-cache",
         [] {
             std::size_t kept = 0;
             for (std::size_t j = 0; j < 100000; ++j) kept += attn::in_window(99999, j, 4096, true);
             return std::vector<double>{double(kept)};
         },
         {[] { return std::vector<double>{100000.0 * 4096}; }, [] { return std::vector<double>{100000}; }}},
        {"reach",
         [] { return std::vector<double>{double(attn::receptive_field(32, 4096))}; },
         {[] { return std::vector<double>{4096}; }},
         {},
         [] {
             return std::vector<std::string>{
                 "each layer reaches w − 1 = 4096 − 1 = 4095 positions back",
                 "32 · 4095 + 1 (the token itself) = " + std::to_string(attn::receptive_field(32, 4096))};
         }},
        {"paper-window",
         [] { return checks::flat(attn::window_mask(6, 3, true)); },
         {},
         [] { return std::vector<checks::given>{}; },
         [] { return checks::visible_lines(attn::window_mask(6, 3, true)); }},
        {"paper-reach",
         [] { return std::vector<double>{double(attn::receptive_field(4, 3))}; },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             return std::vector<std::string>{
                 "each layer reaches w − 1 = 2 positions further back",
                 "4 layers · 2 + the token itself = " + std::to_string(attn::receptive_field(4, 3))};
         }},
    };
}

}  // namespace lessons::sliding_window
