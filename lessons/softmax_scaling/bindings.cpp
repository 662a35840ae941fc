// lessons/softmax_scaling/bindings.cpp — what lesson 02's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::softmax_scaling;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::softmax_row>("softmax_row", {"z", "the temperature"});
    web::export_fn<&L::explore>("explore", {"d_k", "the temperature", "scaled", "stable", "the gain"});
}
