// cli/compute.hpp — the `attnlab compute` command (cli/compute.cpp).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace attnlab {

/// A wrong command line: attnlab prints the message and its usage, exit 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// args[0] is "compute". Returns the exit status; throws on any bad input.
int cmd_compute(const std::vector<std::string>& args);

/// Refuses up front an output path whose folder is missing or not writable
/// (compute's --out, progress's --export), before any work is done.
void check_writable(const std::string& path);

}  // namespace attnlab
