// lessons/grouped_query/bindings.cpp — what lesson 11's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::grouped_query;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::grouped>("grouped", {"X", "K/V heads"});
}
