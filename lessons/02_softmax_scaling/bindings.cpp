// lessons/02_softmax_scaling/bindings.cpp — what lesson 02's page can call.
//
//   example()                   -> {ok, z}                  the walkthrough's row of scores
//   softmax_row(z, T)           -> {ok, stable, naive, entropy, sum}
//   explore(d_k, T, scaled, stable, gain)
//                               -> {ok, scores, variance, predicted, entropy, max_weight,
//                                   max_entropy, nonfinite_rows, row}   the 1/√d_k experiment
#include <cmath>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val example() {
    return web::guarded([] {
        val out = val::object();
        out.set("z", web::from_vector(lesson02::example_scores()));
        return out;
    });
}

val softmax_row(val z, val temperature) {
    return web::guarded([&] {
        const attn::vector row = web::to_vector(z, "z");
        const auto T = static_cast<attn::real>(web::to_number(temperature, "the temperature"));
        attn::vector scaled = row;
        for (auto& x : scaled) x /= T;
        const attn::vector p = attn::softmax(row, T);
        val out = val::object();
        out.set("stable", web::from_vector(p));
        out.set("naive", web::from_vector(attn::softmax_naive(scaled)));
        out.set("entropy", attn::entropy(p));
        out.set("sum", static_cast<double>(xt::sum(p)()));
        return out;
    });
}

val explore(val d_k, val temperature, bool scaled, bool stable, val gain) {
    return web::guarded([&] {
        lesson02::settings s;
        s.d_k = web::to_whole(d_k, "d_k", 1, 4096);
        s.temperature = static_cast<float>(web::to_number(temperature, "the temperature"));
        s.scaled = scaled;
        s.stable = stable;
        s.gain = static_cast<float>(web::to_number(gain, "the gain"));
        const lesson02::experiment e = lesson02::run(s);
        val scores = val::array();
        for (auto x : e.S) scores.call<void>("push", static_cast<double>(x));
        val out = val::object();
        out.set("scores", scores);
        out.set("variance", e.variance);
        out.set("predicted", e.predicted);
        out.set("entropy", e.entropy);
        out.set("max_entropy", std::log(static_cast<double>(s.n)));
        out.set("max_weight", e.max_weight);
        out.set("nonfinite_rows", static_cast<double>(e.nonfinite_rows));
        out.set("row", web::from_vector(xt::row(e.P, 0)));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson02) {
    emscripten::function("example", &example);
    emscripten::function("softmax_row", &softmax_row);
    emscripten::function("explore", &explore);
}
