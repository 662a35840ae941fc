// lessons/11_sliding_window/bindings.cpp — what lesson 11's page can call.
//
//   band(n, w, causal)        -> {ok, P, pairs, full, field}   weights of seeded Q, K, V (d = 8) under the window;
//                                full: the pairs without a window; field(L): see receptive()
//   tiles(n, w, causal, B)    -> {ok, grid: [[0 skipped | 1 masked | 2 whole]], computed, total}
//   kernel(n, w, causal)      -> {ok, diff, tiles, total, ms_window, ms_full}
//        v4_window against the reference (diff, for n ≤ 1024) and timed against v4_simd without a window
//   receptive(layers, w)      -> {ok, positions}
#include <chrono>
#include <cmath>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val band(val nv, val wv, bool causal) {
    return web::guarded([&] {
        const std::size_t n = web::to_whole(nv, "n", 1, 64), w = web::to_whole(wv, "window w", 1, 1e6);
        const auto in = lesson11::seeded(n, 8, 16);
        const auto s = attn::masked_attention_explained(in.Q, in.K, in.V, attn::window_mask(n, w, causal));
        val out = val::object();
        out.set("P", web::from_matrix(s.P));
        out.set("pairs", attn::window_pairs(n, w, causal));
        out.set("full", causal ? attn::attention_cost_model(n, n, 1, 1, true).pairs : double(n) * double(n));
        return out;
    });
}

val tiles(val nv, val wv, bool causal, val bv) {
    return web::guarded([&] {
        const std::size_t n = web::to_whole(nv, "n", 1, 1 << 16), w = web::to_whole(wv, "window w", 1, 1e6),
                          B = web::to_whole(bv, "block size", 1, 4096);
        if ((n + B - 1) / B > 64) throw attn::value_error("tiles: at most 64 tiles a side fit on the page; use a larger block");
        const auto visits = attn::window_tiles(n, w, causal, B, B);
        const std::size_t side = (n + B - 1) / B;
        val grid = val::array();
        double computed = 0;
        for (std::size_t r = 0; r < side; ++r) {
            val row = val::array();
            for (std::size_t c = 0; c < side; ++c) {
                const auto& t = visits[r * side + c];
                row.call<void>("push", t.skipped ? 0 : t.masked ? 1 : 2);
                computed += !t.skipped;
            }
            grid.call<void>("push", row);
        }
        val out = val::object();
        out.set("grid", grid);
        out.set("computed", computed);
        out.set("total", double(side * side));
        return out;
    });
}

val kernel(val nv, val wv, bool causal) {
    return web::guarded([&] {
        const std::size_t n = web::to_whole(nv, "n", 1, 8192), w = web::to_whole(wv, "window w", 1, 1e6);
        const auto in = lesson11::seeded(n, 64, 7);
        using clock = std::chrono::steady_clock;
        attn::kernels::counters c;
        const auto t0 = clock::now();
        const attn::matrix O = attn::kernels::v4_window(in.Q, in.K, in.V, w, causal, 1, &c);
        const auto t1 = clock::now();
        attn::kernels::counters f;
        attn::kernels::v4_simd(in.Q, in.K, in.V, causal, 1, &f);
        const auto t2 = clock::now();
        // the reference holds n² scores: only for n ≤ 1024
        const double diff = n <= 1024 ? attn::max_abs_diff(O, attn::window_attention(in.Q, in.K, in.V, w, causal)) : -1;
        val out = val::object();
        out.set("diff", diff);
        out.set("tiles", c.tiles);
        out.set("full_tiles", f.tiles);
        out.set("ms_window", std::chrono::duration<double, std::milli>(t1 - t0).count());
        out.set("ms_full", std::chrono::duration<double, std::milli>(t2 - t1).count());
        return out;
    });
}

val receptive(val lv, val wv) {
    return web::guarded([&] {
        val out = val::object();
        out.set("positions", double(attn::receptive_field(web::to_whole(lv, "layers", 1, 1000), web::to_whole(wv, "window w", 1, 1e6))));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson11) {
    emscripten::function("band", &band);
    emscripten::function("tiles", &tiles);
    emscripten::function("kernel", &kernel);
    emscripten::function("receptive", &receptive);
}
