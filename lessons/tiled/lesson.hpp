// lessons/tiled/lesson.hpp — lesson 08's C++ API: the tile schedule, and the four kernels run side by side.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <attn/cost.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/kernels/registry.hpp>
#include <attn/rng.hpp>
#include <attn/tiled.hpp>

namespace lessons::tiled {

/// The example's inputs at n tokens of width d: the same smooth values everywhere (attn::wave_matrix).
struct inputs {
    attn::matrix Q, K, V;
};
inline inputs example_inputs(std::size_t n, std::size_t d) {
    return {attn::wave_matrix(n, d, 4), attn::wave_matrix(n, d, 5), attn::wave_matrix(n, d, 6)};
}

/// The tiles the loop visits for n tokens in Br×Bc blocks, and the memory each way (d = 64).
struct schedule_result {
    std::vector<attn::tile_visit> tiles;
    double naive_bytes, tiled_bytes;
    ATTN_FIELDS(tiles, naive_bytes, tiled_bytes)
};
inline schedule_result schedule(std::size_t n, std::size_t Br, std::size_t Bc, bool causal) {
    for (auto [what, x] : {std::pair{"n", n}, {"Br", Br}, {"Bc", Bc}}) attn::require_whole_in(what, double(x), 1, 4096);
    const attn::matrix X = attn::wave_matrix(n, 2, 1);
    schedule_result r{{}, double(n) * double(n) * 4, attn::tiled_extra_bytes(Br, Bc, 64)};
    attn::tiled_attention(X, X, X, Br, Bc, causal, &r.tiles);
    return r;
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
    const attn::kernels::kernel_info& k = attn::kernels::kernel(version);
    static std::size_t cached_n = 0;  // the page runs the versions one after another on one input
    static inputs in;
    if (cached_n != n) in = example_inputs(n, 64), cached_n = n;
    attn::kernels::run_options o;
    o.causal = causal, o.limit_bytes = attn::page_memory_limit;
    attn::matrix O;
    const double ms = attn::kernels::median_ms([&] { O = k.compute(in.Q, in.K, in.V, o); }, reps);
    const bool fits = double(n) * double(n) * 4 <= attn::page_memory_limit;
    const attn::matrix ref = fits ? attn::kernels::v1_naive(in.Q, in.K, in.V, causal) : O;
    return {ms,
            attn::attention_cost_model(n, n, 64, 64, causal).flops / (ms * 1e6),
            xt::view(O, xt::range(0, std::min<std::size_t>(3, n)), xt::all()),
            xt::view(O, xt::range(n - 1, n), xt::all()),
            attn::max_abs_diff(O, ref),
            k.isa};
}

/// What `attnlab example 8 --json` prints: v1_naive on the example at n = 257, causal.
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

}  // namespace lessons::tiled
