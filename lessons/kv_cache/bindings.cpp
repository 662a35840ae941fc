// lessons/kv_cache/bindings.cpp — what lesson 10's page can call (lesson.hpp).
#include <convert.hpp>

#include "lesson.hpp"

namespace L = lessons::kv_cache;

EMSCRIPTEN_BINDINGS(lesson) {
    web::export_fn<&L::fixed_example>("example");
    web::export_fn<&attn::decode_through_cache>("decode", {"Q", "K", "V", "tokens decoded", "prompt length"});
    web::export_fn<&L::cost>("cost", {"context length", "d_head"});
    web::export_fn<&L::memory>("memory", {"layers", "K/V heads", "d_head", "tokens", "bytes per value"});
}
