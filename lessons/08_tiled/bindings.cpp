// lessons/08_tiled/bindings.cpp — what lesson 08's page can call.
//
//   schedule(n, Br, Bc, causal) -> {ok, tiles: [{q0, q1, k0, k1, skipped, masked}],
//                                   naive_bytes, tiled_bytes}
//   run(version, n, causal, reps) -> {ok, ms, gflops, O_first_rows, O_last_row, max_diff, isa}
//        version: "naive" | "online" | "tiled" | "simd"; the same inputs (d = 64) every time;
//        max_diff is against the naive kernel on those inputs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;
constexpr double kLimitBytes = 512.0 * 1024 * 1024;  // what the naive kernel may hold in the page

val schedule(val n, val Br, val Bc, bool causal) {
    return web::guarded([&] {
        const std::size_t N = web::to_whole(n, "n", 1, 4096), br = web::to_whole(Br, "Br", 1, 4096), bc = web::to_whole(Bc, "Bc", 1, 4096);
        const attn::matrix X = lesson08::filled(N, 2, 1);
        std::vector<attn::tile_visit> trace;
        attn::tiled_attention(X, X, X, br, bc, causal, &trace);
        val tiles = val::array();
        for (const auto& t : trace) {
            val o = val::object();
            o.set("q0", double(t.q0));
            o.set("q1", double(t.q1));
            o.set("k0", double(t.k0));
            o.set("k1", double(t.k1));
            o.set("skipped", t.skipped);
            o.set("masked", t.masked);
            tiles.call<void>("push", o);
        }
        val out = val::object();
        out.set("tiles", tiles);
        out.set("naive_bytes", double(N) * double(N) * 4);
        out.set("tiled_bytes", attn::tiled_extra_bytes(br, bc, 64));
        return out;
    });
}

// Inputs and outputs kept between calls: the page runs the versions one after another.
struct inputs {
    std::size_t n = 0;
    attn::matrix Q, K, V;
};
inputs& cached(std::size_t n) {
    static inputs in;
    if (in.n != n) in = {n, lesson08::filled(n, 64, 4), lesson08::filled(n, 64, 5), lesson08::filled(n, 64, 6)};
    return in;
}

attn::matrix run_version(const std::string& version, const inputs& in, bool causal) {
    if (version == "naive") return attn::kernels::v1_naive(in.Q, in.K, in.V, causal, nullptr, kLimitBytes);
    if (version == "online") return attn::kernels::v2_online(in.Q, in.K, in.V, causal);
    if (version == "tiled") return attn::kernels::v3_tiled(in.Q, in.K, in.V, causal);
    if (version == "simd") return attn::kernels::v4_simd(in.Q, in.K, in.V, causal);
    throw attn::value_error("no kernel version '" + version + "'; choose naive, online, tiled or simd");
}

val run(val kernel, val n, bool causal, val reps) {
    return web::guarded([&] {
        const std::string version = web::to_text(kernel, "the kernel version");
        const std::size_t N = web::to_whole(n, "n", 1, 16384), R = web::to_whole(reps, "reps", 1, 50);
        const inputs& in = cached(N);
        attn::matrix O = run_version(version, in, causal);  // warm-up, and the output
        std::vector<double> ms;
        for (std::size_t r = 0; r < R; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            O = run_version(version, in, causal);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(ms.begin(), ms.end());
        const attn::matrix ref = N * N * 4.0 <= kLimitBytes ? attn::kernels::v1_naive(in.Q, in.K, in.V, causal) : O;
        const double diff = attn::max_abs_diff(O, ref);
        val out = val::object();
        out.set("ms", ms[ms.size() / 2]);
        out.set("gflops", attn::attention_cost_model(N, N, 64, 64, causal).flops / (ms[ms.size() / 2] * 1e6));
        out.set("O_first_rows", web::from_matrix(xt::view(O, xt::range(0, std::min<std::size_t>(3, N)), xt::all())));
        out.set("O_last_row", web::from_matrix(xt::view(O, xt::range(N - 1, N), xt::all())));
        out.set("max_diff", diff);
        out.set("isa", std::string(attn::simd::isa));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson08) {
    emscripten::function("schedule", &schedule);
    emscripten::function("run", &run);
}
