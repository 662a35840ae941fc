// attn/lm.hpp — a byte-level language model trained on text: the trainer and its files.
//
// Teaches (lesson 17, inside a trained model): training is a loop of a few plain steps. Split the
// text, 90 % to learn from and the last 10 % held out; each step draws `batch` windows of
// `context` bytes from the first part, runs attn/transformer.hpp's model and its backward on
// each (one sequence per thread, natively; summed in window order, so the result does not depend
// on how many threads ran), and takes one AdamW step. The held-out loss is measured on fixed
// windows of the held-out part, so it can be compared across runs and steps.
// A share of the windows (`repeats`, 40 % by default) are not the text but a random string of
// letters said again and again: text this small has too few long repeats for a model to learn to
// copy (the induction heads of Olsson et al. 2022); with them, it learns to, after about 3,000 steps.
//
// The weights file (model/README.md, "The weights file"): a text header, then the raw
// float32 tensors, little-endian, in params() order:
//   attnlab-weights 1                       (or attnlab-checkpoint 1: params, then AdamW's m and v)
//   vocab 256 / context 128 / d_model 128 / heads 4 / layers 2     one "name value" per line
//   step 3000 / seed 1 / rng 123456789 / batch 8                   checkpoints only
//   tensor E 256 128                        one line per tensor: its name and shape
//   ...
//   fnv1a64 0123456789abcdef                the FNV-1a hash of the data that follows
//   data
//   <bytes>
// A file that is not one, is truncated, corrupt, or does not match the shapes its header names
// is refused with a message saying which; nothing is read past what the header promises.
// Leaves out: tokenizers beyond bytes, mixed precision, data loading beyond one text in memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>
#ifndef __EMSCRIPTEN__
#include <thread>
#endif

#include "transformer.hpp"

namespace attn {

/// Everything a training run is made of (and a checkpoint records).
struct lm_config {
    block_config model;
    adamw_config opt;
    std::size_t batch = 8;
    std::size_t repeats = 40;  // percent of windows that are a repeated random string (repeated_string)
    std::uint64_t seed = 1;
    std::size_t threads = 1;  // natively; the page has one
};

namespace lm_detail {
inline std::uint64_t fnv1a64(const char* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ull;
    return h;
}
inline std::string hex(std::uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}
/// The names of params() in order: E, P, block0.ln1_g, …, lnf_g, lnf_b, W_out.
inline std::vector<std::string> param_names(const block_config& c) {
    std::vector<std::string> names{"E", "P"};
    for (std::size_t l = 0; l < c.layers; ++l)
        for (const char* p :
             {"ln1_g", "ln1_b", "W_q", "W_k", "W_v", "W_o", "ln2_g", "ln2_b", "W_1", "b_1", "W_2", "b_2"})
            names.push_back("block" + std::to_string(l) + "." + p);
    for (const char* p : {"lnf_g", "lnf_b", "W_out"}) names.push_back(p);
    return names;
}
}  // namespace lm_detail

/// `length` bytes: a random string of `period` lowercase letters (2 ≤ period ≤ 64), said over and
/// over. Where it repeats, the next byte is known to a model that can copy, and to no other.
inline std::vector<std::size_t> repeated_string(std::size_t length, std::size_t period, rng& g) {
    require_in("repeated_string: period", double(period), 2, 64);
    std::vector<std::size_t> out(length);
    for (std::size_t i = 0; i < length; ++i) out[i] = i < period ? 'a' + g.below(26) : out[i - period];
    return out;
}

/// What a weights or checkpoint file holds.
struct lm_file {
    std::string kind;  // "weights" or "checkpoint"
    lm_config config;
    std::size_t step = 0;
    std::uint64_t rng_state = 0;
    std::string text_hash;  // checkpoints: the FNV-1a hash of the text trained on (a resume must match)
    std::vector<model_params<float>> groups;  // weights: the model; checkpoint: model, m, v
};

/// The file's bytes (see the top of this file).
inline std::string write_lm_file(lm_file f) {
    const block_config& c = f.config.model;
    std::string data;
    for (auto& g : f.groups)
        for (auto* p : g.params()) data.append(reinterpret_cast<const char*>(p->data()), p->size() * sizeof(float));
    std::ostringstream h;
    h << "attnlab-" << f.kind << " 1\n"
      << "vocab " << c.vocab << "\ncontext " << c.context << "\nd_model " << c.d_model << "\nheads " << c.heads
      << "\nlayers " << c.layers << "\n";
    if (f.kind == "checkpoint")
        h << "step " << f.step << "\nseed " << f.config.seed << "\nrng " << f.rng_state << "\nbatch " << f.config.batch
          << "\ntext " << f.text_hash << "\nrepeats " << f.config.repeats << "\nlr " << f.config.opt.lr << "\nwarmup "
          << f.config.opt.warmup << "\ntotal " << f.config.opt.total << "\n";
    const std::vector<std::string> names = lm_detail::param_names(c);
    for (std::size_t g = 0; g < f.groups.size(); ++g) {
        const auto ps = f.groups[g].params();
        for (std::size_t k = 0; k < ps.size(); ++k)
            h << "tensor "
              << (g == 0   ? ""
                  : g == 1 ? "m."
                           : "v.")
              << names[k] << ' ' << ps[k]->shape(0) << ' ' << ps[k]->shape(1) << '\n';
    }
    h << "fnv1a64 " << lm_detail::hex(lm_detail::fnv1a64(data.data(), data.size())) << "\ndata\n";
    return h.str() + data;
}

/// Reads a weights or checkpoint file's bytes; `where` names it in every message.
inline lm_file read_lm_file(const std::string& bytes, const std::string& where) {
    const auto fail = [&where](const std::string& why) { return value_error(where + ": " + why); };
    const std::size_t end = bytes.find("\ndata\n");
    if (bytes.rfind("attnlab-", 0) != 0 || end == std::string::npos || end > (1u << 20))
        throw fail("not an Attention Lab weights file (it should start with 'attnlab-weights 1')");
    std::istringstream h(bytes.substr(0, end));
    lm_file f;
    std::string magic, version, key;
    h >> magic >> version;
    if (magic != "attnlab-weights" && magic != "attnlab-checkpoint")
        throw fail("not an Attention Lab weights file (it starts with '" + magic + "')");
    if (version != "1") throw fail("version " + version + " of the format; this attnlab reads version 1");
    f.kind = magic.substr(8);
    block_config& c = f.config.model;
    std::vector<std::pair<std::string, std::vector<std::size_t>>> tensors;
    std::string hash;
    while (h >> key) {
        const auto number = [&](auto& out) {
            if (!(h >> out)) throw fail("the header's '" + key + "' has no number");
        };
        if (key == "vocab")
            number(c.vocab);
        else if (key == "context")
            number(c.context);
        else if (key == "d_model")
            number(c.d_model);
        else if (key == "heads")
            number(c.heads);
        else if (key == "layers")
            number(c.layers);
        else if (key == "step")
            number(f.step);
        else if (key == "seed")
            number(f.config.seed);
        else if (key == "rng")
            number(f.rng_state);
        else if (key == "batch")
            number(f.config.batch);
        else if (key == "repeats")
            number(f.config.repeats);
        else if (key == "lr")
            number(f.config.opt.lr);
        else if (key == "warmup")
            number(f.config.opt.warmup);
        else if (key == "total")
            number(f.config.opt.total);
        else if (key == "fnv1a64")
            h >> hash;
        else if (key == "text")
            h >> f.text_hash;
        else if (key == "tensor") {
            std::string name;
            std::size_t r = 0, k = 0;
            if (!(h >> name >> r >> k)) throw fail("a 'tensor' line without a name and two sizes");
            tensors.push_back({name, {r, k}});
        } else
            throw fail("the header has an unknown line '" + key + "'");
    }
    try {
        check_block_config(c);
    } catch (const value_error& e) {
        throw fail(std::string("its header describes no model: ") + e.what());
    }
    const std::size_t groups = f.kind == "checkpoint" ? 3 : 1;
    for (std::size_t g = 0; g < groups; ++g) f.groups.push_back(model_zeros<float>(c));
    std::vector<tensor2<float>*> all;
    for (auto& g : f.groups)
        for (auto* p : g.params()) all.push_back(p);
    if (tensors.size() != all.size())
        throw fail("the header lists " + std::to_string(tensors.size()) + " tensors; a " + std::to_string(c.layers) +
                   "-layer model's " + f.kind + " has " + std::to_string(all.size()));
    std::size_t need = 0;
    for (std::size_t k = 0; k < all.size(); ++k) {
        const auto& [name, shape] = tensors[k];
        if (shape[0] != all[k]->shape(0) || shape[1] != all[k]->shape(1))
            throw fail("tensor " + name + " is (" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) +
                       ") but this header's model needs " + shape_str(all[k]->shape()));
        need += all[k]->size() * sizeof(float);
    }
    const std::size_t at = end + 6, have = bytes.size() - at;
    if (have < need)
        throw fail("truncated: the header promises " + std::to_string(need) + " bytes of weights, the file has " +
                   std::to_string(have));
    if (have > need) throw fail(std::to_string(have - need) + " bytes after the weights the header describes");
    const std::string want = lm_detail::hex(lm_detail::fnv1a64(bytes.data() + at, need));
    if (hash != want) throw fail("corrupt: the weights' FNV-1a hash is " + want + ", the header says " + hash);
    std::size_t off = at;
    for (auto* p : all) {
        std::memcpy(p->data(), bytes.data() + off, p->size() * sizeof(float));
        off += p->size() * sizeof(float);
        for (float x : *p)
            if (!std::isfinite(x)) throw fail("a weight that is not finite");
    }
    return f;
}

/// The last 10 % of a text is held out: the trainer never sees it.
inline std::size_t held_out_start(std::size_t bytes) { return bytes * 9 / 10; }

/// The mean loss (nats per byte) over the held-out part of `tokens`, cut into back-to-back windows
/// of `context` bytes (or `windows` evenly spaced ones, for a quicker look while training).
/// `each(count, f)` calls f(0..count−1), in any order or on any threads: the sum does not depend on it.
template <class Each>
double held_out_loss(const model_params<float>& m, const block_config& c, const std::vector<std::size_t>& tokens,
                     std::size_t windows, Each&& each) {
    const std::size_t n = c.context, split = held_out_start(tokens.size());
    if (tokens.size() < split + n + 2) throw value_error("held_out_loss: the held-out part is shorter than one window");
    const std::size_t room = tokens.size() - split - n - 1;
    const bool all = windows == 0;
    if (all) windows = (tokens.size() - split - 1) / n;
    std::vector<double> losses(windows);
    each(windows, [&](std::size_t w) {
        const std::size_t from = all ? w * n : room * w / std::max<std::size_t>(windows - 1, 1);
        const auto at = tokens.begin() + std::ptrdiff_t(split + from);
        const std::vector<std::size_t> x(at, at + std::ptrdiff_t(n)), y(at + 1, at + std::ptrdiff_t(n) + 1);
        losses[w] = cross_entropy(model_forward<float>(m, c, x), y);
    });
    double mean = 0;
    for (double l : losses) mean += l / double(windows);
    return mean;
}
inline double held_out_loss(const model_params<float>& m, const block_config& c,
                            const std::vector<std::size_t>& tokens) {
    return held_out_loss(m, c, tokens, 0, [](std::size_t count, const auto& f) {
        for (std::size_t i = 0; i < count; ++i) f(i);
    });
}

/// A byte bigram model's loss on the held-out part: what a model must beat to have learned more
/// than pairs of letters. Counted on the other 90 %, P(b | a) = (count(a, b) + P(b)) / (count(a) + 1),
/// smoothed towards the byte frequencies P(b) (themselves add-one), so no pair is impossible.
inline double bigram_held_out_loss(const std::vector<std::size_t>& tokens, std::size_t vocab = 256) {
    const std::size_t split = held_out_start(tokens.size());
    if (split < 2 || tokens.size() < split + 2) throw value_error("bigram_held_out_loss: too little text");
    std::vector<double> pair(vocab * vocab, 0.0), first(vocab, 0.0), unigram(vocab, 1.0);
    for (std::size_t i = 0; i < split; ++i) unigram[tokens[i]] += 1;
    for (auto& u : unigram) u /= double(split + vocab);
    for (std::size_t i = 0; i + 1 < split; ++i) pair[tokens[i] * vocab + tokens[i + 1]] += 1, first[tokens[i]] += 1;
    double loss = 0;
    for (std::size_t i = split; i + 1 < tokens.size(); ++i) {
        const std::size_t a = tokens[i], b = tokens[i + 1];
        loss -= std::log((pair[a * vocab + b] + unigram[b]) / (first[a] + 1));
    }
    return loss / double(tokens.size() - split - 1);
}

// [trainer]
/// Trains a model on `text` (bytes): the first 90 % to learn from, the last 10 % held out.
class lm_trainer {
public:
    lm_trainer(const std::string& text, const lm_config& c) : config_(c), g_(c.seed) {
        check_block_config(c.model);
        if (c.batch == 0) throw value_error("lm_trainer: the batch needs at least one window");
        require_in("lm_trainer: repeats (percent)", double(c.repeats), 0, 100);
        tokens_ = encode_bytes(text);
        text_hash_ = lm_detail::hex(lm_detail::fnv1a64(text.data(), text.size()));
        split_ = held_out_start(tokens_.size());
        if (split_ < c.model.context + 2 || tokens_.size() - split_ < c.model.context + 2)
            throw value_error("lm_trainer: " + std::to_string(tokens_.size()) +
                              " bytes of text are too few for windows of " + std::to_string(c.model.context) +
                              " in both the training and the held-out part");
        model_ = model_init<float>(c.model, g_);
        m_ = model_zeros<float>(c.model);
        v_ = model_zeros<float>(c.model);
        decay_ = decays(model_);
    }
    /// Picks up a checkpoint (write_checkpoint's) on the same text.
    lm_trainer(const std::string& text, const lm_file& checkpoint, std::size_t threads)
        : lm_trainer(text, with_threads(checkpoint.config, threads)) {
        if (checkpoint.kind != "checkpoint" || checkpoint.groups.size() != 3)
            throw value_error("lm_trainer: resuming needs a checkpoint, not a " + checkpoint.kind + " file");
        if (checkpoint.text_hash != text_hash_)
            throw value_error("lm_trainer: the checkpoint was trained on another text (its hash " +
                              checkpoint.text_hash + ", this text's " + text_hash_ +
                              "); resume it with the --text it was made with");
        model_ = checkpoint.groups[0];
        m_ = checkpoint.groups[1];
        v_ = checkpoint.groups[2];
        step_ = checkpoint.step;
        g_.state = checkpoint.rng_state;
    }

    /// One AdamW step on `batch` fresh windows; returns their mean loss (nats per byte).
    double step() {
        const std::size_t B = config_.batch, n = config_.model.context;
        std::vector<std::vector<std::size_t>> windows(B);  // n + 1 bytes each: x is the first n, y the last n
        for (auto& w : windows) {
            if (g_.below(100) < config_.repeats) {
                w = repeated_string(n + 1, 8 + g_.below(25), g_);  // periods 8..32
            } else {
                const auto at = tokens_.begin() + std::ptrdiff_t(g_.below(split_ - n - 1));
                w.assign(at, at + std::ptrdiff_t(n) + 1);
            }
        }
        std::vector<model_params<float>> grads(B, model_zeros<float>(config_.model));
        std::vector<double> losses(B);
        const auto one = [&](std::size_t b) {
            const std::vector<std::size_t> x(windows[b].begin(), windows[b].end() - 1),
                y(windows[b].begin() + 1, windows[b].end());
            losses[b] = model_backward(model_, config_.model, x, y, grads[b]);
        };
        run_each(B, one);
        auto total = grads[0].params();
        for (std::size_t b = 1; b < B; ++b) {  // in window order: the same sums for any number of threads
            const auto gb = grads[b].params();
            for (std::size_t k = 0; k < total.size(); ++k) *total[k] += *gb[k];
        }
        ++step_;
        const double lr = scheduled_lr(config_.opt, step_);
        const auto ps = model_.params(), ms = m_.params(), vs = v_.params();
        for (std::size_t k = 0; k < ps.size(); ++k) {
            *total[k] /= float(B);
            adamw_update(*ps[k], *total[k], *ms[k], *vs[k], step_, lr, config_.opt, decay_[k]);
        }
        double mean = 0;
        for (double l : losses) mean += l / double(B);
        return mean;
    }

    /// The mean loss over the held-out part (held_out_loss below), on config().threads threads.
    double held_out_loss(std::size_t windows = 0) const {
        return attn::held_out_loss(model_, config_.model, tokens_, windows,
                                   [this](std::size_t count, const auto& f) { run_each(count, f); });
    }
    /// A byte bigram model's held-out loss on the same text (bigram_held_out_loss below).
    double bigram_held_out_loss() const { return attn::bigram_held_out_loss(tokens_); }

    std::size_t steps() const { return step_; }
    const lm_config& config() const { return config_; }
    const model_params<float>& model() const { return model_; }

    std::string write_weights() const { return write_lm_file({"weights", config_, step_, 0, "", {model_}}); }
    std::string write_checkpoint() const {
        return write_lm_file({"checkpoint", config_, step_, g_.state, text_hash_, {model_, m_, v_}});
    }

private:
    static lm_config with_threads(lm_config c, std::size_t threads) {
        c.threads = threads;
        return c;
    }
    /// f(0..count-1), on config_.threads threads natively (each takes every threads-th index).
    template <class F>
    void run_each(std::size_t count, F&& f) const {
#ifndef __EMSCRIPTEN__
        const std::size_t T = std::max<std::size_t>(1, std::min(config_.threads, count));
        if (T > 1) {
            std::vector<std::thread> pool;
            for (std::size_t t = 0; t < T; ++t)
                pool.emplace_back([&, t] {
                    for (std::size_t i = t; i < count; i += T) f(i);
                });
            for (auto& th : pool) th.join();
            return;
        }
#endif
        for (std::size_t i = 0; i < count; ++i) f(i);
    }

    lm_config config_;
    rng g_;
    std::vector<std::size_t> tokens_;
    std::string text_hash_;
    std::size_t split_ = 0, step_ = 0;
    model_params<float> model_, m_, v_;
    std::vector<bool> decay_;
};
// [trainer]

}  // namespace attn
