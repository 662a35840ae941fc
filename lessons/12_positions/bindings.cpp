// lessons/12_positions/bindings.cpp — what lesson 12's page can call.
//
//   scores(how, n, slope)        -> {ok, S, P}   position-only scores of n identical tokens, and their softmax
//   profile(how, slope, far)     -> {ok, distance, score}   the score of a token with one `distance` back, 0..far
//   table(n, d)                  -> {ok, PE}     the sinusoidal encoding
#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

attn::real to_slope(const val& v) {
    const double s = web::to_number(v, "the ALiBi slope");
    if (s < 0 || s > 8) throw attn::value_error("the ALiBi slope must be from 0 to 8");
    return static_cast<attn::real>(s);
}

val scores(val encoding, val nv, val sv) {
    return web::guarded([&] {
        const std::string how = web::to_text(encoding, "the encoding");
        const std::size_t n = web::to_whole(nv, "n", 1, 64);
        const attn::matrix S = attn::position_scores(attn::parse_encoding(how), lesson12::content(), n, to_slope(sv));
        val out = val::object();
        out.set("S", web::from_matrix(S));
        out.set("P", web::from_matrix(attn::softmax_rows(S)));
        return out;
    });
}

val profile(val encoding, val sv, val fv) {
    return web::guarded([&] {
        const std::string how = web::to_text(encoding, "the encoding");
        const std::size_t far = web::to_whole(fv, "distance", 1, 4096);
        const attn::matrix S = attn::position_scores(attn::parse_encoding(how), lesson12::content(), far + 1, to_slope(sv));
        val distance = val::array(), score = val::array();
        for (std::size_t t = 0; t <= far; ++t) {  // the last query, looking back t positions
            distance.call<void>("push", double(t));
            score.call<void>("push", double(S(far, far - t)));
        }
        val out = val::object();
        out.set("distance", distance);
        out.set("score", score);
        return out;
    });
}

val table(val nv, val dv) {
    return web::guarded([&] {
        val out = val::object();
        out.set("PE", web::from_matrix(attn::sinusoidal(web::to_whole(nv, "n", 1, 256), web::to_whole(dv, "d", 1, 256))));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson12) {
    emscripten::function("scores", &scores);
    emscripten::function("profile", &profile);
    emscripten::function("table", &table);
}
