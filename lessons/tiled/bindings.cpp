// lessons/tiled/bindings.cpp — what lesson 09's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::tiled;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::schedule>("schedule", {"n", "Br", "Bc", "causal"});
    web::export_fn<&L::step>("step", {"n", "Br", "Bc", "causal", "the step"});
    web::export_fn<&L::loop_orders>("loop_orders", {"n", "Br", "Bc"});
    web::export_fn<&L::sram>("sram", {"the on-chip memory (KiB)", "N", "d"});
    web::export_fn<&L::run>("run", {"the kernel version", "n", "causal", "reps"});
}
