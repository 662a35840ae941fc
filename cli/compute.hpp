// cli/compute.hpp — the `attnlab compute` command (cli/compute.cpp).
#pragma once

#include <string>
#include <vector>

#include "files.hpp"

namespace attnlab {

/// args[0] is "compute". Returns the exit status; throws on any bad input.
int cmd_compute(const std::vector<std::string>& args);

}  // namespace attnlab
