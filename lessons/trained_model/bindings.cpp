// lessons/trained_model/bindings.cpp — what lesson 17's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::trained_model;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&lessons::use_model>("use_model", {"the weights"});
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::predict>("predict", {"the text", "the heads switched off", "top"});
    web::export_fn<&L::logits>("logits", {"the text", "the heads switched off"});
    web::export_fn<&L::write>("write", {"the prompt", "count", "the temperature", "top-k", "the seed"});
    web::export_fn<&L::look>("look", {"the text", "the heads switched off"});
    web::export_fn<&L::induction>("induction", {"the length", "the period", "the seed", "the heads switched off"});
}
