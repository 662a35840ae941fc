// lessons/masking/bindings.cpp — what lesson 06's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::masking;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::compose>("compose", {"n", "causal", "valid"});
    web::export_fn<&L::run>("run", {"X", "W_q", "W_k", "W_v", "mask", "fill with -1e9"});
    web::export_fn<&L::row>("row", {"X", "W_q", "W_k", "W_v", "mask", "the query", "fill with -1e9"});
    web::export_fn<&attn::future_influence>("future", {"X", "W_q", "W_k", "W_v", "mask", "position"});
}
