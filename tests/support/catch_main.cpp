// The one Catch2 main every suite links (compiling it once saves ~15 s a suite).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
