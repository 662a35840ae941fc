// attn/inspect.hpp — inside a trained model: its predictions, its text, and every head's map.
//
// Teaches (lesson "inside a trained model"): a trained language model is the transformer of
// attn/transformer.hpp with weights read from a file (attn/lm.hpp), and everything a learner sees
// of it is computed, not stored:
//   next_byte       the probabilities of the next byte after a text: softmax of the last logits row
//   sample_next     greedy, or drawn at a temperature from the top k (Holtzman et al. 2020 discuss why)
//   lm_decoder      generation one byte at a time, each layer's keys and values kept in lesson 10's
//                   KV cache, so a byte costs one query per head instead of the whole text again
//   attention_maps  every head of every layer, P = softmax(causal(Q_h·K_hᵀ/√d_h)), the maps that
//                   bertviz's head and model views draw (Vig 2019)
//   head_mask       a head switched off: its output zeros; what the model then predicts
//   induction_score the copying pattern of Olsson et al. (2022): on a string said twice, the weight
//                   a head puts on the byte that followed the same byte last time
// Leaves out: batching, beam search, tokenizers beyond bytes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "backward.hpp"
#include "fields.hpp"
#include "kv_cache.hpp"
#include "lm.hpp"
#include "transformer.hpp"

namespace attn {

/// A trained model: its shape and its weights.
struct lm_model {
    block_config config;
    model_params<float> params;
};

/// The model in a weights file's bytes (a checkpoint's model too); `where` names the file in errors.
inline lm_model load_model(const std::string& bytes, const std::string& where) {
    lm_file f = read_lm_file(bytes, where);
    return {f.config.model, std::move(f.groups[0])};
}

/// The bytes of `text` as tokens, checked against the model: 1 to context of them.
inline std::vector<std::size_t> model_tokens(const lm_model& m, const std::string& text) {
    if (text.empty()) throw value_error("the text is empty: give the model at least one character");
    if (text.size() > m.config.context)
        throw value_error("the text is " + std::to_string(text.size()) + " bytes; the model reads at most " +
                          std::to_string(m.config.context) + " at a time");
    return encode_bytes(text);
}

/// Row `i` of logits as probabilities (a stable softmax in double).
inline std::vector<double> probabilities(const tensor2<float>& logits, std::size_t i) {
    const std::size_t v = logits.shape(1);
    double top = -INFINITY, sum = 0;
    for (std::size_t j = 0; j < v; ++j) top = std::max(top, double(logits(i, j)));
    std::vector<double> p(v);
    for (std::size_t j = 0; j < v; ++j) sum += p[j] = std::exp(double(logits(i, j)) - top);
    for (auto& x : p) x /= sum;
    return p;
}

/// The probability of every byte coming next after `text` (at most `context` bytes).
inline std::vector<double> next_byte(const lm_model& m, const std::string& text, const head_mask* off = nullptr) {
    const auto x = model_tokens(m, text);
    return probabilities(model_forward<float>(m.params, m.config, x, nullptr, off), x.size() - 1);
}

// [sample]
/// The next token from `logits`: at temperature 0 the most likely (the lowest index on a tie);
/// otherwise a draw from softmax(logits / temperature) restricted to the top_k most likely
/// (top_k 0: all of them), using u ∈ [0, 1) as the draw: the first token whose running sum of
/// probabilities, in order of decreasing probability, passes u.
/// paper: p ∝ exp(z/T) over the k most likely (top-k sampling, Fan et al. 2018)
inline std::size_t sample_next(const std::vector<float>& logits, double temperature, std::size_t top_k, double u) {
    if (logits.empty()) throw value_error("sample_next: no logits to choose from");
    if (!(temperature >= 0) || temperature > 100) throw value_error("sample_next: the temperature must be in [0, 100]");
    if (!(u >= 0 && u < 1)) throw value_error("sample_next: the draw u must be in [0, 1)");
    for (float z : logits)
        if (!std::isfinite(z)) throw value_error("sample_next: a logit that is not finite");
    std::vector<std::size_t> order(logits.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return logits[a] > logits[b]; });
    if (temperature == 0) return order[0];
    const std::size_t k = top_k == 0 ? order.size() : std::min(top_k, order.size());
    std::vector<double> p(k);
    double sum = 0;
    for (std::size_t r = 0; r < k; ++r)
        sum += p[r] = std::exp((double(logits[order[r]]) - double(logits[order[0]])) / temperature);
    double run = 0;
    for (std::size_t r = 0; r < k; ++r) {
        run += p[r] / sum;
        if (u < run) return order[r];
    }
    return order[k - 1];  // u within rounding of 1
}
// [sample]

// [decoder]
/// Generation with a KV cache (lesson 10) for every head of every layer: feed() takes one token
/// at the next position and returns the logits for the token after it. The first n feeds give
/// the same logits as model_forward on those n tokens, row by row (to float rounding).
class lm_decoder {
public:
    explicit lm_decoder(const lm_model& m) : m_(&m) { clear(); }

    std::size_t length() const { return length_; }
    void clear() {
        const block_config& c = m_->config;
        const std::size_t dh = c.d_model / c.heads;
        caches_.assign(c.layers, std::vector<kv_cache>(c.heads, kv_cache(c.context, dh, dh)));
        length_ = 0;
    }

    std::vector<float> feed(std::size_t token) {
        const block_config& c = m_->config;
        const model_params<float>& p = m_->params;
        if (token >= c.vocab)
            throw value_error("lm_decoder: token " + std::to_string(token) + " is outside the vocabulary");
        if (length_ == c.context)
            throw value_error("lm_decoder: the cache is full (" + std::to_string(c.context) +
                              " positions); clear() and feed the last part of the text again");
        const std::size_t d = c.d_model, dh = d / c.heads;
        tensor2<float> x = xt::zeros<float>({std::size_t(1), d});  // (1, d): this token's residual stream
        for (std::size_t j = 0; j < d; ++j) x(0, j) = p.E(token, j) + p.P(length_, j);
        for (std::size_t l = 0; l < c.layers; ++l) {
            const block_params<float>& b = p.blocks[l];
            const tensor2<float> h = layer_norm(x, b.ln1_g, b.ln1_b);
            const tensor2<float> q = block_detail::mm(h, b.W_q), k = block_detail::mm(h, b.W_k),
                                 v = block_detail::mm(h, b.W_v);
            tensor2<float> o = xt::zeros<float>({std::size_t(1), d});
            for (std::size_t hd = 0; hd < c.heads; ++hd) {
                const auto part = [&](const tensor2<float>& M) {  // this head's columns of a (1, d) row
                    return vector(xt::view(M, 0, xt::range(hd * dh, (hd + 1) * dh)));
                };
                kv_cache& cache = caches_[l][hd];
                append(cache, part(k), part(v));
                const vector oh = decode_step(cache, part(q));  // one query against the t cached keys
                for (std::size_t j = 0; j < dh; ++j) o(0, hd * dh + j) = oh(j);
            }
            x += block_detail::mm(o, b.W_o);
            const tensor2<float> u = linear(layer_norm(x, b.ln2_g, b.ln2_b), b.W_1, b.b_1);
            tensor2<float> a = u;
            for (auto& e : a) e = gelu(e);
            x += linear(a, b.W_2, b.b_2);
        }
        ++length_;
        const tensor2<float> z = block_detail::mm(layer_norm(x, p.lnf_g, p.lnf_b), p.W_out);
        return std::vector<float>(z.begin(), z.end());
    }

private:
    const lm_model* m_;
    std::vector<std::vector<kv_cache>> caches_;  // [layer][head]
    std::size_t length_ = 0;
};
// [decoder]

/// `count` bytes after `prompt`, each from sample_next at `temperature` and `top_k`, drawn with
/// rng(seed). When the context fills, the decoder keeps the last half and goes on.
inline std::string generate(const lm_model& m, const std::string& prompt, std::size_t count, double temperature,
                            std::size_t top_k, std::uint64_t seed) {
    std::vector<std::size_t> all = model_tokens(m, prompt);
    require_in("generate: count", double(count), 0, 4096);
    lm_decoder dec(m);
    std::vector<float> z;
    for (std::size_t t : all) z = dec.feed(t);
    rng g(seed);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t next = sample_next(z, temperature, top_k, g.uniform());
        all.push_back(next);
        if (dec.length() == m.config.context) {  // slide: the last half again
            dec.clear();
            for (std::size_t k = all.size() - m.config.context / 2; k + 1 < all.size(); ++k) dec.feed(all[k]);
        }
        z = dec.feed(next);
    }
    return decode_bytes(std::vector<std::size_t>(all.end() - std::ptrdiff_t(count), all.end()));
}

// [maps]
/// Every head's attention weights for the tokens x: maps[l][h] is (n, n), row i the weights of
/// query i over keys 0..i (causal), P = softmax(Q_h·K_hᵀ/√d_h) from the layer's own Q and K.
inline std::vector<std::vector<matrix>> attention_maps(const lm_model& m, const std::vector<std::size_t>& x,
                                                       const head_mask* off = nullptr) {
    model_pass<float> pass;
    model_forward(m.params, m.config, x, &pass, off);
    const std::size_t dh = m.config.d_model / m.config.heads;
    std::vector<std::vector<matrix>> maps(m.config.layers);
    for (std::size_t l = 0; l < m.config.layers; ++l)
        for (std::size_t h = 0; h < m.config.heads; ++h) {
            const mha_cache<float>& a = pass.blocks[l].attn;
            const auto c = [&](const tensor2<float>& M) { return block_detail::columns(M, h * dh, dh); };
            maps[l].push_back(attention_forward<float>(c(a.Q), c(a.K), c(a.V), true).P);
        }
    return maps;
}
// [maps]

/// −ln p(x[i+1]) at each position i < n − 1: how surprised the model is by each next byte.
inline std::vector<double> surprisal(const lm_model& m, const std::vector<std::size_t>& x,
                                     const head_mask* off = nullptr) {
    const tensor2<float> z = model_forward<float>(m.params, m.config, x, nullptr, off);
    std::vector<double> out;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) out.push_back(-std::log(probabilities(z, i)[x[i + 1]]));
    return out;
}

/// The mean of v[from..to).
inline double mean_of(const std::vector<double>& v, std::size_t from, std::size_t to) {
    if (from >= to || to > v.size()) throw value_error("mean_of: an empty or out-of-range span");
    return std::accumulate(v.begin() + std::ptrdiff_t(from), v.begin() + std::ptrdiff_t(to), 0.0) / double(to - from);
}

// [induction]
/// On a string that repeats every `period` bytes, the mean weight a head's map puts, over the
/// queries i ≥ period, on key i − period + 1: the byte that came after this same byte one period
/// ago, which is the byte to predict next (Olsson et al. 2022's induction pattern).
/// paper: induction score = mean_i P(i, i − L + 1) on a string of period L (Olsson et al. 2022)
inline double induction_score(const matrix& map, std::size_t period) {
    require_shapes(map.shape(0) == map.shape(1), "induction_score", "map", map, "map", map,
                   "an attention map is square, one row and one column per token");
    const std::size_t n = map.shape(0);
    if (period < 1 || period >= n)
        throw value_error("induction_score: the period " + std::to_string(period) + " must be from 1 to " +
                          std::to_string(n - 1) + " for " + std::to_string(n) + " tokens");
    double sum = 0;
    for (std::size_t i = period; i < n; ++i) sum += map(i, i - period + 1);
    return sum / double(n - period);
}
// [induction]

/// A repeated random string through the model: the mean surprisal of the bytes of its first
/// period (after the first byte) and of everything after it, and every head's induction score.
struct copy_test {
    std::string text;
    std::size_t period;
    double first, later;                      // nats per byte
    std::vector<std::vector<double>> scores;  // [layer][head] induction_score
    ATTN_FIELDS(text, period, first, later, scores)
};
inline copy_test copy_probe(const lm_model& m, std::size_t length, std::size_t period, std::uint64_t seed,
                            const head_mask* off = nullptr) {
    if (length > m.config.context || length < 2 * period)
        throw value_error("copy_probe: " + std::to_string(length) + " bytes must hold two periods of " +
                          std::to_string(period) + " and fit the context of " + std::to_string(m.config.context));
    rng g(seed);
    const std::vector<std::size_t> x = repeated_string(length, period, g);
    const std::vector<double> s = surprisal(m, x, off);  // s[i]: predicting x[i + 1]
    copy_test r{decode_bytes(x), period, mean_of(s, 0, period - 1), mean_of(s, period - 1, s.size()), {}};
    for (const auto& layer : attention_maps(m, x, off)) {
        r.scores.emplace_back();
        for (const auto& map : layer) r.scores.back().push_back(induction_score(map, period));
    }
    return r;
}

/// No head switched off: a mask to switch some off in.
inline head_mask all_heads_on(const block_config& c) { return head_mask(c.layers, std::vector<bool>(c.heads, false)); }

}  // namespace attn
