// lessons/qkv_dot_product/bindings.cpp — what lesson 01's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::qkv_dot_product;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::compute>("compute", {"X", "W_q", "W_k", "W_v"});
}
