// lessons/transformer_block/bindings.cpp — what lesson 16's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::transformer_block;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&lessons::use_model>("use_model", {"the weights"});
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::normalise>("normalise", {"x", "g", "b"});
    web::export_fn<&L::stream>("stream", {"the text"});
    web::export_fn<&L::budgets>("budgets", {"n"});
    web::export_fn<&L::weight_counts>("weights");
}
