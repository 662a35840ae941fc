// lessons/sliding_window/bindings.cpp — what lesson 12's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::sliding_window;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::band>("band", {"n", "window w", "causal"});
    web::export_fn<&L::tiles>("tiles", {"n", "window w", "causal", "block size"});
    web::export_fn<&L::kernel>("kernel", {"n", "window w", "causal"});
    web::export_fn<&L::receptive>("receptive", {"layers", "window w"});
}
