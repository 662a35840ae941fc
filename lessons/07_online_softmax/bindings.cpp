// lessons/07_online_softmax/bindings.cpp — what lesson 07's page can call.
//
//   example()  -> {ok, z}
//   trace(z)   -> {ok, steps: [{z, m, l, rescale}], p, p3}   p: online, p3: the three-pass softmax
//   halves(z, cut) -> {ok, left: {m, l}, right: {m, l}, merged: {m, l}}
#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

val js(const attn::online_state& s) {
    val o = val::object();
    o.set("m", static_cast<double>(s.m));
    o.set("l", static_cast<double>(s.l));
    return o;
}

val example() {
    return web::guarded([] {
        val out = val::object();
        out.set("z", web::from_vector(lesson07::example_scores()));
        return out;
    });
}

val trace(val zv) {
    return web::guarded([&] {
        const attn::vector z = web::to_vector(zv, "z");
        val steps = val::array();
        for (const auto& s : attn::online_softmax_trace(z)) {
            val o = val::object();
            o.set("z", static_cast<double>(s.z));
            o.set("m", static_cast<double>(s.m));
            o.set("l", static_cast<double>(s.l));
            o.set("rescale", static_cast<double>(s.rescale));
            steps.call<void>("push", o);
        }
        val out = val::object();
        out.set("steps", steps);
        out.set("p", web::from_vector(attn::online_softmax(z)));
        out.set("p3", web::from_vector(attn::softmax(z)));
        return out;
    });
}

val halves(val zv, val cut_at) {
    return web::guarded([&] {
        const attn::vector z = web::to_vector(zv, "z");
        const std::size_t cut = web::to_whole(cut_at, "the cut", 0, double(z.size()));
        attn::online_state a, b;
        for (std::size_t j = 0; j < z.size(); ++j) attn::online_update(j < cut ? a : b, z(j));
        val out = val::object();
        out.set("left", js(a));
        out.set("right", js(b));
        out.set("merged", js(attn::merge(a, b)));
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson07) {
    emscripten::function("example", &example);
    emscripten::function("trace", &trace);
    emscripten::function("halves", &halves);
}
