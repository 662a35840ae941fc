// web/bind/convert.hpp — the edge between JavaScript values and the library.
//
// Teaches: nothing about attention; it is how every lesson's bindings.cpp stays
// thin: convert (validating everything a page can send), call attn::, convert
// back. Errors never cross into JavaScript as exceptions: `guarded` turns any
// C++ exception into {ok: false, error: "…"} for the page to show, so a bad
// input leaves the page (and the module) working.
// Emscripten-only, by design: platform code lives here and in bindings.cpp.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace web {

using emscripten::val;

/// One cell from the page: a finite number, or a string that is exactly one.
inline double to_number(const val& cell, const std::string& where) {
    const std::string type = cell.typeOf().as<std::string>();
    double x = NAN;
    if (type == "number") {
        x = cell.as<double>();
    } else if (type == "string") {
        const std::string s = cell.as<std::string>();
        char* end = nullptr;
        x = std::strtod(s.c_str(), &end);
        const bool whole = !s.empty() && end && *end == '\0' && s.find_first_not_of(" \t") != std::string::npos;
        if (!whole) throw attn::shape_error(where + " is \"" + s + "\", which is not a number");
    } else {
        throw attn::shape_error(where + " is " + type + ", not a number");
    }
    if (!std::isfinite(x)) throw attn::shape_error(where + " is " + std::to_string(x) + "; give a finite number");
    return x;
}

/// A string from the page (a choice such as a kernel name), or a shape_error naming `what`.
inline std::string to_text(const val& v, const std::string& what) {
    const std::string type = v.typeOf().as<std::string>();
    if (type != "string") throw attn::shape_error(what + " must be a string, not " + type);
    return v.as<std::string>();
}

/// A whole number in [lo, hi] from the page, or a value_error naming `what` and the range.
inline std::size_t to_whole(const val& v, const std::string& what, double lo, double hi) {
    const double x = to_number(v, what);
    if (x < lo || x > hi || x != std::floor(x)) {
        char range[96];
        std::snprintf(range, sizeof range, " must be a whole number from %.9g to %.9g", lo, hi);
        throw attn::value_error(what + range);
    }
    return static_cast<std::size_t>(x);
}

/// A JS array of equal-length arrays (rows) of numbers, as an attn::matrix.
inline attn::matrix to_matrix(const val& rows, const std::string& name) {
    if (!rows.isArray()) throw attn::shape_error(name + " must be an array of rows");
    const auto n = rows["length"].as<std::size_t>();
    if (n == 0) throw attn::shape_error(name + " has no rows");
    std::size_t cols = 0;
    std::vector<float> data;
    for (std::size_t i = 0; i < n; ++i) {
        const val row = rows[i];
        if (!row.isArray()) throw attn::shape_error(name + " row " + std::to_string(i + 1) + " is not an array");
        const auto m = row["length"].as<std::size_t>();
        if (i == 0) cols = m;
        if (m != cols)
            throw attn::shape_error(name + " row " + std::to_string(i + 1) + " has " + std::to_string(m) +
                                    " numbers but row 1 has " + std::to_string(cols));
        for (std::size_t j = 0; j < m; ++j)
            data.push_back(static_cast<float>(
                to_number(row[j], name + "(" + std::to_string(i + 1) + ", " + std::to_string(j + 1) + ")")));
    }
    attn::matrix M = xt::zeros<float>({n, cols});  // M is (n, cols)
    std::copy(data.begin(), data.end(), M.begin());
    return M;
}

inline val from_matrix(const attn::matrix& M) {
    val rows = val::array();
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        val row = val::array();
        for (std::size_t j = 0; j < M.shape(1); ++j) row.call<void>("push", static_cast<double>(M(i, j)));
        rows.call<void>("push", row);
    }
    return rows;
}

/// A JS array of numbers, as doubles (each checked like to_number).
inline std::vector<double> to_numbers(const val& items, const std::string& name) {
    if (!items.isArray()) throw attn::shape_error(name + " must be an array of numbers");
    const auto n = items["length"].as<std::size_t>();
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(to_number(items[i], name + "[" + std::to_string(i + 1) + "]"));
    return out;
}

/// One JS array of numbers (a row of scores), as an attn::vector.
inline attn::vector to_vector(const val& items, const std::string& name) {
    return xt::row(to_matrix(val::array(std::vector<val>{items}), name), 0);
}

inline val from_vector(const attn::vector& v) {
    val out = val::array();
    for (auto x : v) out.call<void>("push", static_cast<double>(x));
    return out;
}

inline val from_strings(const std::vector<std::string>& items) {
    val out = val::array();
    for (const auto& s : items) out.call<void>("push", s);
    return out;
}

/// Runs `body` (which returns a JS object); adds ok: true, or returns
/// {ok: false, error} with the exception's message.
template <class F>
val guarded(F&& body) {
    try {
        val result = body();
        result.set("ok", true);
        return result;
    } catch (const std::exception& e) {
        val failure = val::object();
        failure.set("ok", false);
        failure.set("error", std::string(e.what()));
        return failure;
    }
}

}  // namespace web
