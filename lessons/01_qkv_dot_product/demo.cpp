// lessons/01_qkv_dot_product/demo.cpp — the native walkthrough of lesson 01.
//
// `attnlab lesson 1` prints every step of the lesson's fixed example, from the
// token embeddings to the score matrix, using the library (attn::). The
// lesson's README quotes this output verbatim and a test (lesson01.readme)
// keeps the two identical. `attnlab example 1 --json` prints the same numbers
// for the browser test, which checks the page against them.
#include <cstddef>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "example.hpp"

namespace lesson01 {

namespace {
std::string term(float x) {
    const std::string s = attn::format_number(x);
    return x < 0 ? "(" + s + ")" : s;
}
}  // namespace

void demo(std::ostream& out) {
    const example ex = fixed_example();
    const auto& t = ex.tokens;

    out << "Step 1. Four tokens, each embedded as a row of X, (n, d_model) = (4, 4):\n"
        << attn::format_matrix(ex.X, t);

    out << "\nStep 2. Three learned weight matrices, each (d_model, d_k) = (4, 3):\n"
        << "W_q\n" << attn::format_matrix(ex.W_q)
        << "W_k\n" << attn::format_matrix(ex.W_k)
        << "W_v\n" << attn::format_matrix(ex.W_v);

    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    out << "\nStep 3. Project every token: Q = X·W_q, K = X·W_k, V = X·W_v, each (4, 3):\n"
        << "Q: what each token is looking for\n" << attn::format_matrix(p.Q, t)
        << "K: what each token can be found by\n" << attn::format_matrix(p.K, t)
        << "V: what each token hands over when found\n" << attn::format_matrix(p.V, t);

    // One score, written out: S(cat, the) = q_cat · k_the.
    const std::size_t qi = 1, kj = 0;
    out << "\nStep 4. One score is one dot product, query row against key row:\n"
        << "  S(" << t[qi] << ", " << t[kj] << ") = q_" << t[qi] << " · k_" << t[kj] << " = ";
    float sum = 0;
    for (std::size_t c = 0; c < p.Q.shape(1); ++c) {
        out << (c ? " + " : "") << term(p.Q(qi, c)) << "×" << term(p.K(kj, c));
        sum += p.Q(qi, c) * p.K(kj, c);
    }
    out << " = " << attn::format_number(sum) << "\n";

    const attn::matrix S = attn::scores(p.Q, p.K);  // S is (4, 4): rows are queries, columns keys
    out << "\nStep 5. All of them at once: S = Q·Kᵀ, (n, n) = (4, 4); row = query, column = key:\n"
        << attn::format_matrix(S, t, t);

    out << "\nStep 6. The key each query matches best (the largest score in its row):\n";
    for (std::size_t i = 0; i < S.shape(0); ++i) {
        std::size_t best = 0;
        for (std::size_t j = 1; j < S.shape(1); ++j)
            if (S(i, j) > S(i, best)) best = j;
        out << "  " << t[i] << " -> " << t[best] << " (" << attn::format_number(S(i, best)) << ")\n";
    }

    // W_q and W_k differ, so "i looks for j" is not "j looks for i".
    out << "\nStep 7. S is not symmetric: S(" << t[0] << ", " << t[1] << ") = " << attn::format_number(S(0, 1))
        << " but S(" << t[1] << ", " << t[0] << ") = " << attn::format_number(S(1, 0)) << ".\n";
}

void example_json(std::ostream& out) {
    const example ex = fixed_example();
    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    out << "{\"tokens\":[";
    for (std::size_t i = 0; i < ex.tokens.size(); ++i) out << (i ? "," : "") << '"' << ex.tokens[i] << '"';
    out << "],\"X\":" << attn::to_json(ex.X) << ",\"W_q\":" << attn::to_json(ex.W_q)
        << ",\"W_k\":" << attn::to_json(ex.W_k) << ",\"W_v\":" << attn::to_json(ex.W_v)
        << ",\"Q\":" << attn::to_json(p.Q) << ",\"K\":" << attn::to_json(p.K)
        << ",\"V\":" << attn::to_json(p.V) << ",\"S\":" << attn::to_json(attn::scores(p.Q, p.K)) << "}\n";
}

}  // namespace lesson01
