// tests/support/oracle.hpp — float64 references the float32 code is checked against.
//
// Deliberately the most obvious loops, in double: a test compares the library
// (or the learner's exercise) with these under explicit tolerances.
#pragma once

#include <cstddef>

#include <attn/tensor.hpp>

namespace oracle {

using attn::matrix64;

template <class M>
matrix64 to64(const M& m) {
    matrix64 out = xt::zeros<double>({m.shape(0), m.shape(1)});
    for (std::size_t i = 0; i < m.shape(0); ++i)
        for (std::size_t j = 0; j < m.shape(1); ++j) out(i, j) = m(i, j);
    return out;
}

/// A·B in float64. A is (n, k), B is (k, m).
template <class A, class B>
matrix64 matmul(const A& a, const B& b) {
    matrix64 out = xt::zeros<double>({a.shape(0), b.shape(1)});
    for (std::size_t i = 0; i < a.shape(0); ++i)
        for (std::size_t j = 0; j < b.shape(1); ++j)
            for (std::size_t k = 0; k < a.shape(1); ++k)
                out(i, j) += static_cast<double>(a(i, k)) * static_cast<double>(b(k, j));
    return out;
}

/// A·Bᵀ in float64. A is (n, k), B is (m, k).
template <class A, class B>
matrix64 matmul_bt(const A& a, const B& b) {
    matrix64 out = xt::zeros<double>({a.shape(0), b.shape(0)});
    for (std::size_t i = 0; i < a.shape(0); ++i)
        for (std::size_t j = 0; j < b.shape(0); ++j)
            for (std::size_t k = 0; k < a.shape(1); ++k)
                out(i, j) += static_cast<double>(a(i, k)) * static_cast<double>(b(j, k));
    return out;
}

}  // namespace oracle
