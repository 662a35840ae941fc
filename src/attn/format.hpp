// attn/format.hpp — matrices as text: aligned tables for people, JSON for programs.
//
// Teaches: nothing about attention; it is how the walkthroughs print every step
// and how `attnlab example N --json` hands exact numbers to the browser tests:
// to_json() writes any value attn/fields.hpp can describe (numbers, strings,
// matrices, vectors, maps and structs with ATTN_FIELDS), from that one declaration.
// Leaves out: colour and locale. Output is plain ASCII-compatible UTF-8, the
// same on every machine, so the lesson READMEs can quote it verbatim.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "fields.hpp"
#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

/// Shortest of %.{digits}g: "2", "-0.5", "0.333", "1e+04", "NaN", "-inf".
inline std::string format_number(double x, int digits = 4) {
    if (x == 0) return "0";           // never "-0"
    if (std::isnan(x)) return "NaN";  // one spelling on every libc
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    return buf;
}

/// A walkthrough's agreement line: "<= 1e-6" when diff is within 10^exponent, else "> 1e-6 (a bug)".
inline std::string within(double diff, int exponent) {
    const std::string bound = "1e" + std::to_string(exponent);
    return diff <= std::stod(bound) ? "<= " + bound : "> " + bound + " (a bug)";  // the literal's value
}

/// printf into a std::string: format("%6zu  %s", n, name.c_str()).
inline std::string format(const char* spec, ...) __attribute__((format(printf, 1, 2)));
inline std::string format(const char* spec, ...) {
    va_list args, again;
    va_start(args, spec);
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, spec, args);
    va_end(args);
    std::string out(n > 0 ? std::size_t(n) : 0, '\0');
    if (n > 0) std::vsnprintf(out.data(), out.size() + 1, spec, again);
    va_end(again);
    return out;
}

/// A vector on one line, each entry as format_number writes it: "[ 2, 1, 0.1, -1 ]".
template <class V>
std::string format_row(const V& v, int digits = 4) {
    std::string s = "[";
    for (std::size_t j = 0; j < v.size(); ++j) s += (j ? ", " : " ") + format_number(v(j), digits);
    return s + " ]";
}

/// A large count with an SI prefix, 3 significant digits: "12.6 M", "3.1 G", "512".
inline std::string format_count(double x) {
    const char* units[] = {"", " k", " M", " G", " T"};
    int u = 0;
    while (std::abs(x) >= 1000 && u < 4) x /= 1000, ++u;
    return format(u ? "%.3g%s" : "%.4g%s", x, units[u]);
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

namespace detail {

inline void json_string(std::string& out, const std::string& s) {
    out += '"';
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}

inline void json_number(std::string& out, double x, bool is_float) {
    if (!std::isfinite(x)) {
        out += "null";  // JSON has no NaN or ±inf
        return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, is_float ? "%.9g" : "%.17g", x);  // enough digits to round-trip
    out += buf;
}

template <class T>
void write_json(std::string& out, const T& v) {
    using U = std::decay_t<T>;
    if constexpr (has_fields_v<U>) {
        out += '{';
        bool first = true;
        v.fields([&](const char* name, const auto& value) {
            if (!first) out += ',';
            first = false;
            json_string(out, name);
            out += ':';
            write_json(out, value);
        });
        out += '}';
    } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, const char*> || std::is_same_v<U, char*>) {
        json_string(out, v);
    } else if constexpr (std::is_same_v<U, bool>) {
        out += v ? "true" : "false";
    } else if constexpr (std::is_arithmetic_v<U>) {
        json_number(out, static_cast<double>(v), std::is_same_v<U, float>);
    } else if constexpr (is_string_map<U>::value) {
        out += '{';
        bool first = true;
        for (const auto& [key, value] : v) {
            if (!first) out += ',';
            first = false;
            json_string(out, key);
            out += ':';
            write_json(out, value);
        }
        out += '}';
    } else if constexpr (is_std_vector<U>::value) {
        out += '[';
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (k) out += ',';
            write_json(out, static_cast<typename U::value_type>(v[k]));
        }
        out += ']';
    } else if constexpr (is_tensor<U>::value) {
        if (v.dimension() != 1 && v.dimension() != 2) throw shape_error("to_json writes vectors and matrices");
        if (v.dimension() == 1) {
            out += '[';
            for (std::size_t k = 0; k < v.shape(0); ++k) {
                if (k) out += ',';
                write_json(out, v(k));
            }
            out += ']';
        } else {
            out += '[';
            for (std::size_t i = 0; i < v.shape(0); ++i) {
                out += i ? ",[" : "[";
                for (std::size_t j = 0; j < v.shape(1); ++j) {
                    if (j) out += ',';
                    write_json(out, v(i, j));
                }
                out += ']';
            }
            out += ']';
        }
    } else {
        static_assert(sizeof(U) == 0, "to_json: give this type ATTN_FIELDS, or convert it to one to_json knows");
    }
}

}  // namespace detail

/// JSON for a number, string, bool, matrix, vector, std::vector, std::map<std::string, ·> or a
/// struct with ATTN_FIELDS. Floats get 9 significant digits, doubles 17: enough to round-trip.
/// NaN and ±inf, which JSON cannot spell, become null.
template <class T>
std::string to_json(const T& value) {
    std::string out;
    detail::write_json(out, value);
    return out;
}

}  // namespace attn
