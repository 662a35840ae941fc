// cli/train.hpp — the `attnlab train` command (cli/train.cpp).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace attnlab {

/// `attnlab train`'s command line, as typed.
struct train_options {
    std::string text;    // the course's frozen text (model/course-text.txt) unless given
    std::string out;     // the weights (model/course.weights) unless given
    std::string resume;  // a checkpoint to go on from
    std::string log;     // a CSV of every step's loss and learning rate, if given
    std::string steps = "4500", seed = "1", threads = "2", every = "250", batch = "8", repeats = "40";
};

/// `attnlab generate`'s command line, as typed.
struct generate_options {
    std::string prompt, weights;  // the weights: model/course.weights unless given
    std::string count = "200", temperature = "0", top_k = "0", seed = "1";
};

/// Adds the `generate` subcommand and its options to attnlab's parser (CLI11), filling `o`.
CLI::App* add_generate(CLI::App& app, generate_options& o);

/// Writes `count` bytes after the prompt with the trained model; returns the exit status.
int cmd_generate(const generate_options& o);

/// Adds the `train` subcommand and its options to attnlab's parser (CLI11), filling `o`.
CLI::App* add_train(CLI::App& app, train_options& o);

/// Trains, printing progress; returns the exit status; throws on any bad input.
int cmd_train(const train_options& o);

}  // namespace attnlab
