// lessons/backward/bindings.cpp — what lesson 14's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::backward;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::grads>("grads", {"Q", "K", "V", "dO", "causal"});
    web::export_fn<&attn::check_gradient>("check",
                                          {"Q", "K", "V", "dO", "check: which gradient", "row", "column", "causal"});
}
