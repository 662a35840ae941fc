// lessons/06_quadratic_cost/bindings.cpp — what lesson 06's page can call.
//
//   model(n, d, causal)            -> {ok, pairs, flops, exps, score_bytes, io_bytes}
//   benchmark(n, d, causal, reps)  -> {ok, ms, gflops, score_bytes}: the median of `reps` timed
//                                     runs of the naive kernel after one warm-up, inputs made here
//   fit(ns, ts)                    -> {ok, c}: t ≈ c·n², least squares
//   limit()                        -> {ok, bytes}: the most the page lets the naive kernel hold
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

namespace {

using web::val;

// The browser's wasm heap tops out at 2 GiB; keep the score matrix well under it.
constexpr double kLimitBytes = 512.0 * 1024 * 1024;

// Buffers reused across calls: growing the heap and touching fresh pages costs more than the work.
std::vector<float> Qb, Kb, Vb, Ob, Sb;

val model(val n, val d, bool causal) {
    return web::guarded([&] {
        const std::size_t N = web::to_whole(n, "n", 1, 1e9), D = web::to_whole(d, "d", 1, 65536);
        const attn::attention_cost c = attn::attention_cost_model(N, N, D, D, causal);
        val out = val::object();
        out.set("pairs", c.pairs);
        out.set("flops", c.flops);
        out.set("exps", c.exps);
        out.set("score_bytes", c.score_bytes);
        out.set("io_bytes", c.io_bytes);
        out.set("fits", c.score_bytes <= kLimitBytes);
        return out;
    });
}

val benchmark(val n, val d, bool causal, val reps) {
    return web::guarded([&] {
        const std::size_t N = web::to_whole(n, "n", 1, 1e9), D = web::to_whole(d, "d", 1, 1024), R = web::to_whole(reps, "reps", 1, 100);
        const attn::attention_cost c = attn::attention_cost_model(N, N, D, D, causal);
        attn::require_memory("the naive kernel's score matrix", c.score_bytes, kLimitBytes);
        for (auto* b : {&Qb, &Kb, &Vb, &Ob}) b->resize(N * D);
        Sb.resize(N * N);
        for (std::size_t k = 0; k < N * D; ++k) {
            Qb[k] = std::sin(0.37f * float(k));
            Kb[k] = std::cos(0.23f * float(k));
            Vb[k] = std::sin(0.11f * float(k) + 1.0f);
        }
        auto once = [&] {
            attn::kernels::naive_attention(Qb.data(), Kb.data(), Vb.data(), Ob.data(), N, N, D, D, causal, Sb.data());
        };
        once();  // warm-up: the JIT tiers up and the pages are touched
        std::vector<double> ms;
        for (std::size_t r = 0; r < R; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            once();
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(ms.begin(), ms.end());
        const double median = ms[ms.size() / 2];
        val out = val::object();
        out.set("ms", median);
        out.set("gflops", c.flops / (median * 1e6));
        out.set("score_bytes", c.score_bytes);
        return out;
    });
}

val fit(val ns, val ts) {
    return web::guarded([&] {
        const std::vector<double> n = web::to_numbers(ns, "the sizes n"), t = web::to_numbers(ts, "the times");
        val out = val::object();
        out.set("c", attn::fit_n_squared(n, t));
        return out;
    });
}

val limit() {
    return web::guarded([] {
        val out = val::object();
        out.set("bytes", kLimitBytes);
        out.set("text", attn::format_bytes(kLimitBytes));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson06) {
    emscripten::function("model", &model);
    emscripten::function("benchmark", &benchmark);
    emscripten::function("fit", &fit);
    emscripten::function("limit", &limit);
}
