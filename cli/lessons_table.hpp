// cli/lessons_table.hpp — what attnlab knows of each lesson.
// The table itself is generated from lessons/lessons.json (see CMakeLists.txt).
#pragma once

#include <cstddef>
#include <iosfwd>

namespace attnlab {

struct lesson_info {
    int id;
    const char* folder;   // "01_qkv_dot_product"
    const char* title;
    const char* summary;
    const char* hint;
    const char* tags;     // comma-separated
    const char* library;  // the reference header, e.g. "src/attn/scores.hpp"
    void (*demo)(std::ostream&);          // `attnlab lesson N`
    void (*example_json)(std::ostream&);  // `attnlab example N --json`
};

extern const lesson_info lessons[];
extern const std::size_t lesson_count;

}  // namespace attnlab
