// cli/compute.hpp — the `attnlab compute` command (cli/compute.cpp).
#pragma once

#include <string>

#include "files.hpp"

namespace CLI {
class App;
}

namespace attnlab {

/// `attnlab compute`'s command line, as typed: validated by cmd_compute, with its messages.
struct compute_options {
    std::string q, k, v, out, mask;
    std::string kernel = "simd";
    bool causal = false;
    std::string window, heads, threads, scale;  // checked and converted by cmd_compute
};

/// Adds the `compute` subcommand and its options to attnlab's parser (CLI11), filling `o`.
CLI::App* add_compute(CLI::App& app, compute_options& o);

/// Runs attention on the files named; returns the exit status; throws on any bad input.
int cmd_compute(const compute_options& o);

}  // namespace attnlab
