// lessons/reading_maps/bindings.cpp — what lesson 18's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::reading_maps;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&lessons::use_model>("use_model", {"the weights"});
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&L::heads>("heads", {"the period", "the seed"});
    web::export_fn<&L::attribute>("attribute", {"the text"});
    web::export_fn<&L::rollout>("rollout", {"the text"});
    web::export_fn<&L::needle>("needle", {"trials", "the seed"});
    web::export_fn<&L::two>("two", {"steps", "the seed"});
}
