// cli/lessons_table.hpp — what attnlab knows of each lesson.
// The table itself is generated from lessons/lessons.json by lessons/CMakeLists.txt.
#pragma once

#include <cstddef>
#include <iosfwd>

namespace attnlab {

struct lesson_info {
    int number;        // its position in the manifest: for display and `attnlab check N`
    const char* slug;  // its identity: lessons/<slug>/, ctest <slug>.*, progress keys
    const char* title;
    const char* summary;
    const char* hints[3];                 // the exercise's hints: the idea, the invariant, pseudo-code (lessons.json)
    const char* library;                  // the reference headers, e.g. "src/attn/scores.hpp"
    void (*walkthrough)(std::ostream&);   // `attnlab lesson N`
    void (*print_values)(std::ostream&);  // `attnlab example N --json`
};

extern const lesson_info lessons[];
extern const std::size_t lesson_count;

}  // namespace attnlab
