// cli/train.cpp — `attnlab train`: the byte-level transformer (attn/lm.hpp) trained on the course's
// own frozen text, with a progress line (step, loss, tokens a second, time left), a checkpoint every
// few hundred steps that --resume goes on from (the same run as one without a stop: the checkpoint
// holds the generator's state), the held-out loss against a bigram model's, and the weights file.
//
//   attnlab train [--steps 4500] [--seed 1] [--threads 2] [--batch 8] [--repeats 40] [--every 250]
//                 [--text model/course-text.txt] [--out model/course.weights] [--resume CKPT] [--log FILE]
#include "train.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <attn/format.hpp>
#include <attn/inspect.hpp>
#include <attn/lm.hpp>

#include "files.hpp"
#include "npy.hpp"

namespace attnlab {

CLI::App* add_train(CLI::App& app, train_options& o) {
    CLI::App* sub = app.add_subcommand("train", "train the course's byte-level transformer on its own text");
    sub->set_help_flag("-h,--help", "these options");
    sub->add_option("--steps", o.steps, "AdamW steps in all, counting those of a resumed run (default 4500)");
    sub->add_option("--seed", o.seed, "the seed of the weights and of the windows drawn (default 1)");
    sub->add_option("--threads", o.threads, "threads, one window each at a time (default 2)");
    sub->add_option("--batch", o.batch, "windows of 128 bytes per step (default 8)");
    sub->add_option("--every", o.every, "write a checkpoint (OUT.ckpt) every this many steps (default 250)");
    sub->add_option("--text", o.text, "the text to learn (default: the course's frozen text, model/course-text.txt)");
    sub->add_option("--out", o.out, "where the weights go (default model/course.weights)");
    sub->add_option("--repeats", o.repeats, "percent of windows that are a repeated random string (default 40)");
    sub->add_option("--resume", o.resume, "a checkpoint to go on from (written by an earlier run)");
    sub->add_option("--log", o.log, "write step, loss and learning rate of every step to this CSV file");
    return sub;
}

namespace {

std::size_t whole(const std::string& flag, const std::string& text, std::size_t lo, std::size_t hi) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end || text[0] == '-' || v < lo || v > hi)
        throw usage_error("train: " + flag + " must be a whole number from " + std::to_string(lo) + " to " +
                          std::to_string(hi) + ", not '" + text + "'");
    return std::size_t(v);
}

std::string read(const std::string& path, const std::string& what) {
    try {
        return npy::read_file(path, what, std::size_t(64) << 20);
    } catch (const std::exception& e) {
        throw file_error(e.what());
    }
}

std::string clock(double seconds) {
    char buf[32];
    const long s = long(seconds + 0.5);
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

double decimal(const std::string& flag, const std::string& text, double lo, double hi) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end || !(v >= lo && v <= hi))
        throw usage_error("generate: " + flag + " must be a number from " + attn::format("%g", lo) + " to " +
                          attn::format("%g", hi) + ", not '" + text + "'");
    return v;
}

}  // namespace

CLI::App* add_generate(CLI::App& app, generate_options& o) {
    CLI::App* sub = app.add_subcommand("generate", "let the course's trained model write after a prompt");
    sub->set_help_flag("-h,--help", "these options");
    sub->add_option("prompt", o.prompt, "the text to go on from (1 to 128 bytes)")->required();
    sub->add_option("--count", o.count, "how many bytes to write (default 200)");
    sub->add_option("--temperature", o.temperature, "0 for greedy (the default), up to 100");
    sub->add_option("--top-k", o.top_k, "draw only among the k most likely bytes (default 0: all)");
    sub->add_option("--seed", o.seed, "the seed of the draws (default 1)");
    sub->add_option("--weights", o.weights, "a weights file (default: the course's, model/course.weights)");
    return sub;
}

int cmd_generate(const generate_options& o) {
    const std::string path = o.weights.empty() ? std::string(ATTN_SOURCE_DIR) + "/model/course.weights" : o.weights;
    const std::size_t count = whole("--count", o.count, 1, 100000), top_k = whole("--top-k", o.top_k, 0, 256);
    const double temperature = decimal("--temperature", o.temperature, 0, 100);
    const std::uint64_t seed = whole("--seed", o.seed, 0, UINT32_MAX);
    const attn::lm_model m = attn::load_model(read(path, "--weights"), path);
    const auto start = std::chrono::steady_clock::now();
    const std::string text = attn::generate(m, o.prompt, count, temperature, top_k, seed);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::cout << o.prompt << text << "\n";
    std::cerr << count << " bytes in " << attn::format("%.1f", ms)
              << " ms: " << attn::format("%.3f", ms / double(count)) << " ms per byte (the prompt's " << o.prompt.size()
              << " included)\n";
    return 0;
}

int cmd_train(const train_options& o) {
    const std::string root = ATTN_SOURCE_DIR;
    const std::string text_path = o.text.empty() ? root + "/model/course-text.txt" : o.text;
    const std::string out = o.out.empty() ? root + "/model/course.weights" : o.out;
    const std::size_t steps = whole("--steps", o.steps, 1, 1000000), threads = whole("--threads", o.threads, 1, 64),
                      every = whole("--every", o.every, 1, 1000000), batch = whole("--batch", o.batch, 1, 1024);
    check_writable(out);
    refuse_input_as_output("--out", out, {{"--text", text_path}, {"--resume", o.resume}});
    if (!o.log.empty()) {
        check_writable(o.log);
        refuse_input_as_output("--log", o.log, {{"--text", text_path}, {"--resume", o.resume}, {"--out", out}});
    }
    const std::string text = read(text_path, "--text");

    attn::lm_config c;
    c.seed = whole("--seed", o.seed, 0, UINT32_MAX);
    c.threads = threads;
    c.batch = batch;
    c.repeats = whole("--repeats", o.repeats, 0, 100);
    c.opt.total = steps;
    std::unique_ptr<attn::lm_trainer> t;
    if (o.resume.empty()) {
        t = std::make_unique<attn::lm_trainer>(text, c);
    } else {
        const attn::lm_file f = attn::read_lm_file(read(o.resume, "--resume"), o.resume);
        if (f.kind != "checkpoint")
            throw file_error("train: " + o.resume + " is a weights file; resuming needs a checkpoint (" + out +
                             ".ckpt is written every --every steps)");
        if (f.config.opt.total != steps)
            throw usage_error("train: the checkpoint is of a " + std::to_string(f.config.opt.total) +
                              "-step run (its schedule); resume it with --steps " + std::to_string(f.config.opt.total));
        t = std::make_unique<attn::lm_trainer>(text, f, threads);
    }
    const attn::lm_config& k = t->config();
    std::cout << "attnlab train: " << k.model.layers << " layers, " << k.model.heads << " heads, d_model "
              << k.model.d_model << ", context " << k.model.context << ", " << attn::model_zeros<float>(k.model).count()
              << " parameters; " << text.size() << " bytes of text (" << text_path << "), seed " << k.seed << ", "
              << k.batch << " windows a step, " << threads << " thread(s)\n";
    const auto start = std::chrono::steady_clock::now();
    const std::size_t first = t->steps();
    std::string log = "step,loss,lr\n";
    while (t->steps() < steps) {
        const double loss = t->step();
        log += std::to_string(t->steps()) + "," + attn::format("%.6f", loss) + "," +
               attn::format("%.6g", attn::scheduled_lr(k.opt, t->steps())) + "\n";
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double done = double(t->steps() - first), per = seconds / done;
        const double tokens = done * double(k.batch * k.model.context) / seconds;
        const std::size_t width = 24, filled = width * t->steps() / steps;
        std::cerr << "\r  [" << std::string(filled, '#') << std::string(width - filled, '.') << "] step " << t->steps()
                  << "/" << steps << "  loss " << attn::format("%.3f", loss) << "  " << std::size_t(tokens)
                  << " tokens/s  " << clock(per * double(steps - t->steps())) << " left   " << std::flush;
        if (t->steps() % every == 0 || t->steps() == steps) {
            write_atomically(out + ".ckpt", t->write_checkpoint());
            std::cerr << "\n  step " << t->steps() << ": held-out loss " << attn::format("%.4f", t->held_out_loss())
                      << " nats per byte; checkpoint " << out << ".ckpt\n";
        }
    }
    write_atomically(out, t->write_weights());
    if (!o.log.empty()) write_atomically(o.log, log);
    const double held = t->held_out_loss(), bigram = t->bigram_held_out_loss();
    std::cout << "held-out loss " << attn::format("%.4f", held) << " nats per byte after " << t->steps()
              << " steps (a bigram model: " << attn::format("%.4f", bigram) << "); weights " << out << "\n";
    return 0;
}

}  // namespace attnlab
