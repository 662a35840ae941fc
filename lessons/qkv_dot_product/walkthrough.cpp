// lessons/qkv_dot_product/walkthrough.cpp — `attnlab lesson 1`: every step of the example.
//
// From the token embeddings to the score matrix, using the library (attn::).
// The lesson's README quotes this output verbatim and a test
// (qkv_dot_product.readme) keeps the two identical.
#include <cstddef>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::qkv_dot_product {

namespace {
std::string term(float x) {
    const std::string s = attn::format_number(x);
    return x < 0 ? "(" + s + ")" : s;
}
}  // namespace

void walkthrough(std::ostream& out) {
    const example ex = fixed_example();
    const auto& t = ex.tokens;

    out << "Step 1. Four tokens, each embedded as a row of X, (n, d_model) = (4, 4):\n" << attn::format_matrix(ex.X, t);

    out << "\nStep 2. Three learned weight matrices, each (d_model, d_k) = (4, 3):\n"
        << "W_q\n"
        << attn::format_matrix(ex.W_q) << "W_k\n"
        << attn::format_matrix(ex.W_k) << "W_v\n"
        << attn::format_matrix(ex.W_v);

    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    out << "\nStep 3. Project every token: Q = X·W_q, K = X·W_k, V = X·W_v, each (4, 3):\n"
        << "Q: what each token is looking for\n"
        << attn::format_matrix(p.Q, t) << "K: what each token can be found by\n"
        << attn::format_matrix(p.K, t) << "V: what each token hands over when found\n"
        << attn::format_matrix(p.V, t);

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
        const std::size_t best = attn::argmax_row(S, i);
        out << "  " << t[i] << " -> " << t[best] << " (" << attn::format_number(S(i, best)) << ")\n";
    }

    // W_q and W_k differ, so "i looks for j" is not "j looks for i".
    out << "\nStep 7. S is not symmetric: S(" << t[0] << ", " << t[1] << ") = " << attn::format_number(S(0, 1))
        << " but S(" << t[1] << ", " << t[0] << ") = " << attn::format_number(S(1, 0)) << ".\n";
}

}  // namespace lessons::qkv_dot_product
