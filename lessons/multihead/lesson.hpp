// lessons/multihead/lesson.hpp — lesson 05's C++ API: its fixed example and what the page runs.
//
// "she read the book", d_model = 4, two heads of d_k = d_v = 2. The embeddings
// are one-hot, so row i of W_q is token i's query (and likewise for W_k). Head 0
// pairs each word with its partner (she-read, the-book); head 1 sends everyone to
// the object, "book", and "book" to its verb. W_v and W_o are the identity so
// each head's output can be read straight off the result.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/multihead.hpp>

#include "question.hpp"

namespace lessons::multihead {

struct example {
    std::vector<std::string> tokens;  // n = 4
    attn::matrix X;                   // (4, 4)
    attn::mha_weights w;              // W_q, W_k, W_v: (4, 4) = (d_model, h·d_k); W_o: (4, 4)
    std::size_t heads;                // 2
    ATTN_FIELDS(tokens, X, w, heads)
};

inline example fixed_example() {
    example ex;
    ex.tokens = {"she", "read", "the", "book"};
    ex.X = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    //          head 0  | head 1
    ex.w.W_q = {{0, 3, 3, 0},    // she
                {3, 0, 3, 0},    // read
                {0, -3, 3, 0},   // the
                {-3, 0, 0, 3}};  // book
    ex.w.W_k = {{3, 0, 0, 0}, {0, 3, 0, 3}, {-3, 0, 0, 0}, {0, -3, 3, 0}};
    ex.w.W_v = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    ex.w.W_o = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    ex.heads = 2;
    return ex;
}

/// One call of the page's widget: every head's weights, and the output.
struct run_result {
    std::vector<attn::matrix> S, P;  // one (n, n) per head: its scaled scores and weights
    attn::matrix O;                  // (n, d_out)
    ATTN_FIELDS(S, P, O)
};

inline run_result run(const attn::matrix& X, const attn::mha_weights& w, std::size_t heads) {
    attn::require_whole_in("heads", double(heads), 1, 64);
    const attn::multihead_steps m = attn::multihead_explained(X, X, w, heads);
    run_result r{{}, {}, m.O};
    for (const auto& h : m.heads) r.S.push_back(h.S), r.P.push_back(h.P);
    return r;
}

/// What h heads of width d_model/h cost on n tokens (the page's calculator).
struct cost_result {
    attn::mha_cost cost;
    std::size_t d_k;
    ATTN_FIELDS(cost, d_k)
};

inline cost_result cost(std::size_t n, std::size_t d_model, std::size_t heads) {
    attn::require_whole_in("n", double(n), 1, 1 << 20);
    attn::require_whole_in("d_model", double(d_model), 1, 1 << 16);
    attn::require_whole_in("heads", double(heads), 1, 1024);
    if (d_model % heads != 0)
        throw attn::value_error(std::to_string(heads) + " heads do not divide d_model = " + std::to_string(d_model) +
                                " evenly");
    return {attn::multihead_cost(n, n, d_model, heads, d_model / heads, d_model / heads, d_model), d_model / heads};
}

/// What `attnlab example 5 --json` prints: the example with 1, 2 and 4 heads, and one cost.
struct values {
    run_result h1, h2, h4;
    attn::mha_cost cost;
    ATTN_FIELDS(h1, h2, h4, cost)
};

inline values example_values() {
    const example ex = fixed_example();
    return {run(ex.X, ex.w, 1), run(ex.X, ex.w, 2), run(ex.X, ex.w, 4),
            attn::multihead_cost(1024, 1024, 512, 8, 64, 64, 512)};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_Q = checks::mat({{1, 2, 3, 4}, {5, 6, 7, 8}});
    const attn::matrix ex_q = checks::mat({{1, 0, 0, 1}}), ex_k = checks::mat({{1, 0, 0, -1}, {0, 1, 1, 0}});
    return {
        {"head-width",
         [] {
             return std::vector<double>{double(attn::head_slice(xt::zeros<float>({1, 12}), 0, 3).shape(1))};
         }},
        {"heads-exps",
         [] {
             return std::vector<double>{attn::multihead_cost(1024, 1024, 512, 8, 64, 64, 512).exps /
                                        attn::multihead_cost(1024, 1024, 512, 1, 512, 512, 512).exps};
         },
         {[] {
             return std::vector<double>{attn::multihead_cost(1024, 1024, 512, 8, 64, 64, 512).flops /
                                        attn::multihead_cost(1024, 1024, 512, 1, 512, 512, 512).flops};
         }}},
        {"params",
         [] { return std::vector<double>{attn::multihead_cost(1, 1, 512, 8, 64, 64, 512).params}; },
         {[] { return std::vector<double>{3.0 * 512 * 512}; }, [] { return std::vector<double>{8 * 4.0 * 512 * 512}; }},
         {},
         [] {
             const double each = 512.0 * 512.0;
             return std::vector<std::string>{
                 "W_q, W_k, W_v, W_o: 4 matrices of 512 × 512 = " + checks::text(each, 0) + " each",
                 "4 × 512² = " + checks::text(4 * each, 0)};
         }},
        {"paper-slice",
         [=] { return checks::flat(attn::head_slice(ex_Q, 1, 2)); },
         {},
         [=] {
             return std::vector<checks::given>{{"Q", ex_Q}};
         },
         [=] {
             const std::size_t d_head = ex_Q.shape(1) / 2;
             std::vector<std::string> lines{"d_head = " + std::to_string(ex_Q.shape(1)) +
                                            " / 2 = " + std::to_string(d_head) + ": head 2 takes columns " +
                                            std::to_string(d_head + 1) + " to " + std::to_string(2 * d_head)};
             for (const auto& r : checks::rows_text(attn::head_slice(ex_Q, 1, 2), 0)) lines.push_back(r);
             return lines;
         }},
        {"paper-heads",
         [=] {
             std::vector<double> out;
             for (std::size_t h = 0; h < 2; ++h)
                 for (double x : checks::flat(attn::scores(attn::head_slice(ex_q, h, 2), attn::head_slice(ex_k, h, 2))))
                     out.push_back(x);
             return out;
         },
         {},
         [=] {
             return std::vector<checks::given>{{"q", ex_q}, {"K", ex_k}};
         },
         [=] {
             std::vector<std::string> lines;
             for (std::size_t h = 0; h < 2; ++h)
                 for (const auto& l : checks::dot_lines("head " + std::to_string(h + 1) + ": S",
                                                        attn::head_slice(ex_q, h, 2), attn::head_slice(ex_k, h, 2)))
                     lines.push_back(l);
             for (const auto& l : checks::dot_lines("one head over all four columns: S", ex_q, ex_k))
                 lines.push_back(l);
             return lines;
         }},
    };
}

}  // namespace lessons::multihead
