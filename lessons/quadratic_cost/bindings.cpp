// lessons/quadratic_cost/bindings.cpp — what lesson 07's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::quadratic_cost;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::model>("model", {"n", "d", "causal"});
    web::export_fn<&L::benchmark>("benchmark", {"n", "d", "causal", "reps"});
    web::export_fn<&L::fit>("fit", {"the sizes n", "the times"});
    web::export_fn<&L::limit>("limit");
    web::export_fn<&L::measure_roof>("measure_roof", {"reps"});
    web::export_fn<&L::roofline_model>("roofline_model", {"n", "d"});
}
