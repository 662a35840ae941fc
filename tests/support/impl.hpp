// tests/support/impl.hpp — one test file, two implementations.
//
// Every lesson's suite calls `impl::f(...)`. Built plainly, impl is the
// library's reference (namespace attn) and the suite must pass. Built with
// ATTN_TEST_EXERCISE, impl is the learner's lessons/NN/exercise.cpp (namespace
// exercise), included here as this suite's own translation unit so its
// compile errors point straight at the learner's file.
#pragma once

#include <attn/attn.hpp>

#if defined(ATTN_TEST_EXERCISE)
#include ATTN_EXERCISE_FILE
namespace impl = ::exercise;
#else
namespace impl = ::attn;
#endif
