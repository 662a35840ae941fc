// lessons/positions/bindings.cpp — what lesson 13's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::positions;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::scores>("scores", {"the encoding", "n", "the ALiBi slope"});
    web::export_fn<&L::profile>("profile", {"the encoding", "the ALiBi slope", "distance"});
    web::export_fn<&L::table>("table", {"n", "d"});
}
