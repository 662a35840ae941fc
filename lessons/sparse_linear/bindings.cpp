// lessons/sparse_linear/bindings.cpp — what lesson 19's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::sparse_linear;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::view>("pattern", {"pattern", "n", "l"});
    web::export_fn<&L::kernel>("kernel", {"pattern", "n", "l"});
    web::export_fn<&L::weights>("weights", {"causal"});
    web::export_fn<&L::state>("state", {"token t"});
    web::export_fn<&L::cost>("cost", {"n", "d", "causal"});
    web::export_fn<&L::time_both>("time", {"n", "causal", "repetitions"});
    web::export_fn<&L::recall>("recall", {"pairs"});
}
