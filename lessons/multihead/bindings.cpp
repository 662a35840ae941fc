// lessons/multihead/bindings.cpp — what lesson 05's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::multihead;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::run>("run", {"X", "the weights", "heads"});
    web::export_fn<&L::cost>("cost", {"n", "d_model", "heads"});
}
