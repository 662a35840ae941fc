// lessons/training/bindings.cpp — what lesson 15's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::training;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::reset>("reset", {"the task", "the learning rate", "the seed"});
    web::export_fn<&L::train>("train", {"steps"});
    web::export_fn<&L::probe_model>("probe");
    web::export_fn<&L::target>("target_loss");
}
