// attn/format.hpp — matrices as text: aligned tables for people, JSON for programs.
//
// Teaches: nothing about attention; it is how the demos print every step and
// how `attnlab example N --json` hands exact numbers to the browser tests.
// Leaves out: colour and locale. Output is plain ASCII-compatible UTF-8, the
// same on every machine, so the lesson READMEs can quote it verbatim.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

/// Shortest of %.{digits}g: "2", "-0.5", "0.333", "1e+04", "NaN", "-inf".
inline std::string format_number(double x, int digits = 4) {
    if (x == 0) return "0";  // never "-0"
    if (std::isnan(x)) return "NaN";  // one spelling on every libc
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    return buf;
}

/// max |a - b| over every element (each difference taken in the elements' own type), as a
/// double: how the demos and pages report that two computations agree. 0 when both are empty.
template <class A, class B>
double max_abs_diff(const A& a, const B& b) {
    if (a.dimension() != b.dimension() || !std::equal(a.shape().begin(), a.shape().end(), b.shape().begin()))
        throw shape_error("max_abs_diff: a is " + shape_str(a.shape()) + " but b is " + shape_str(b.shape()) +
                          "; only equal shapes can be compared element by element");
    double d = 0;
    auto ib = b.cbegin();
    for (auto ia = a.cbegin(); ia != a.cend(); ++ia, ++ib) d = std::max(d, double(std::abs(*ia - *ib)));
    return d;
}

/// An aligned table, one line per row, optionally labelled:
///         the  cat
///   the [   1    2 ]
///   cat [ 0.5   -1 ]
inline std::string format_matrix(const matrix& M, const std::vector<std::string>& row_labels = {},
                                 const std::vector<std::string>& col_labels = {}, int digits = 4,
                                 const std::string& indent = "  ") {
    const std::size_t rows = M.shape(0), cols = M.shape(1);
    std::vector<std::string> cells(rows * cols);
    std::size_t width = 1;
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            cells[i * cols + j] = format_number(M(i, j), digits);
            width = std::max(width, cells[i * cols + j].size());
        }
    for (const auto& c : col_labels) width = std::max(width, c.size());
    std::size_t label_width = 0;
    for (const auto& r : row_labels) label_width = std::max(label_width, r.size());
    auto pad = [](const std::string& s, std::size_t w, bool right) {
        const std::string fill(w > s.size() ? w - s.size() : 0, ' ');
        return right ? fill + s : s + fill;
    };

    std::string out;
    if (!col_labels.empty()) {
        std::string line = indent + std::string(label_width + (label_width ? 1 : 0), ' ') + " ";
        for (std::size_t j = 0; j < cols; ++j)
            line += " " + pad(j < col_labels.size() ? col_labels[j] : "", width, true);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    for (std::size_t i = 0; i < rows; ++i) {
        out += indent;
        if (label_width) out += pad(i < row_labels.size() ? row_labels[i] : "", label_width, false) + " ";
        out += "[";
        for (std::size_t j = 0; j < cols; ++j) out += " " + pad(cells[i * cols + j], width, true);
        out += " ]\n";
    }
    return out;
}

/// JSON array of arrays with 9 significant digits: enough to round-trip a float.
inline std::string to_json(const matrix& M) {
    std::string out = "[";
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        out += i ? ",[" : "[";
        for (std::size_t j = 0; j < M.shape(1); ++j) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(M(i, j)));
            if (j) out += ",";
            out += std::isfinite(M(i, j)) ? buf : "null";
        }
        out += "]";
    }
    return out + "]";
}

}  // namespace attn
