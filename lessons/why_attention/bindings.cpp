// lessons/why_attention/bindings.cpp — what lesson 4's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::why_attention;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::compute>("compute", {"s", "H", "W", "U", "v"});
    web::export_fn<&L::reset>("reset", {"the seed"});
    web::export_fn<&L::train>("train", {"steps"});
    web::export_fn<&L::page_accuracy>("accuracy", {"the sentences per length"});
    web::export_fn<&L::page_positions>("positions", {"the length", "the sentences"});
    web::export_fn<&L::page_translate>("translate", {"the length", "the seed"});
    web::export_fn<&L::gradient_reach>("reach", {"the length"});
    web::export_fn<&L::page_paths>("paths", {"n"});
    web::export_fn<&L::example_values>("values");
}
