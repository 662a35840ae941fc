// lessons/scaled_dot_product/bindings.cpp — what lesson 03's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::scaled_dot_product;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::self>("self", {"X", "W_q", "W_k", "W_v"});
    web::export_fn<&L::cross>("cross", {"X_q", "X_kv", "W_q", "W_k", "W_v"});
    web::export_fn<&L::build_up>("build_up", {"P", "V", "build_up: the query row"});
}
