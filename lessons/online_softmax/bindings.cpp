// lessons/online_softmax/bindings.cpp — what lesson 08's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::online_softmax;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::trace>("trace", {"z"});
    web::export_fn<&L::halves>("halves", {"z", "the cut"});
}
