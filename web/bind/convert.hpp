// web/bind/convert.hpp — the edge between JavaScript values and the library.
//
// Teaches: nothing about attention; it is how every lesson's bindings.cpp is a
// list of registrations and nothing else:
//
//   EMSCRIPTEN_BINDINGS(lesson) {
//       web::export_fn<&lessons::scaled_dot_product::self>("self", {"X", "W_q", "W_k", "W_v"});
//   }
//
// export_fn converts each argument from JavaScript by the C++ parameter's type
// (from_val: a matrix from an array of rows, a whole number, a finite number, a
// boolean, a string, or an object into a struct with ATTN_FIELDS), validating
// everything a page can send and naming the argument in any error; calls the
// function; and converts what it returns back (to_val: a struct with ATTN_FIELDS
// becomes an object with the same field names that `attnlab example N --json`
// prints). Errors never cross into JavaScript as exceptions: any C++ exception
// becomes {ok: false, error: "…"} for the page to show, so a bad input leaves the
// page (and the module) working.
// Emscripten-only, by design: platform code lives here and in bindings.cpp.
#pragma once

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <attn/fields.hpp>
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace web {

using emscripten::val;

/// Whether `s` is a decimal number as a matrix cell marks it (web/js/matrix.js's NUMBER, the same
/// grammar): optional spaces, a sign, digits with an optional point (or a point and digits), an
/// optional exponent, optional spaces. Not hex, inf or nan, which strtod alone would take.
inline bool is_decimal(const std::string& s) {
    const char* p = s.c_str();
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    const auto digits = [&p] {
        const char* from = p;
        while (*p >= '0' && *p <= '9') ++p;
        return p > from;
    };
    while (space(*p)) ++p;
    if (*p == '+' || *p == '-') ++p;
    const bool whole = digits();
    bool fraction = false;
    if (*p == '.') ++p, fraction = digits();
    if (!whole && !fraction) return false;
    if (*p == 'e' || *p == 'E') {
        ++p;
        if (*p == '+' || *p == '-') ++p;
        if (!digits()) return false;
    }
    while (space(*p)) ++p;
    return *p == '\0';
}

/// One cell from the page: a finite number, or a string that is exactly one (is_decimal).
inline double to_number(const val& cell, const std::string& where) {
    const std::string type = cell.typeOf().as<std::string>();
    double x = NAN;
    if (type == "number") {
        x = cell.as<double>();
    } else if (type == "string") {
        const std::string s = cell.as<std::string>();
        if (!is_decimal(s)) throw attn::shape_error(where + " is \"" + s + "\", which is not a number");
        x = std::strtod(s.c_str(), nullptr);
    } else {
        throw attn::shape_error(where + " is " + type + ", not a number");
    }
    if (!std::isfinite(x)) throw attn::shape_error(where + " is " + std::to_string(x) + "; give a finite number");
    return x;
}

/// One cell as the library's float32: finite, and within float32's range (a 1e39 would become inf).
inline attn::real to_real(const val& cell, const std::string& where) {
    const double x = to_number(cell, where);
    if (std::abs(x) > double(std::numeric_limits<attn::real>::max())) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.6g", x);
        throw attn::value_error(where + " is " + buf +
                                ", beyond float32's range (±3.4e38) that the library computes in");
    }
    return static_cast<attn::real>(x);
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
    std::vector<attn::real> data;
    for (std::size_t i = 0; i < n; ++i) {
        const val row = rows[i];
        if (!row.isArray()) throw attn::shape_error(name + " row " + std::to_string(i + 1) + " is not an array");
        const auto m = row["length"].as<std::size_t>();
        if (i == 0) cols = m;
        if (m != cols)
            throw attn::shape_error(name + " row " + std::to_string(i + 1) + " has " + std::to_string(m) +
                                    " numbers but row 1 has " + std::to_string(cols));
        for (std::size_t j = 0; j < m; ++j)
            data.push_back(to_real(row[j], name + "(" + std::to_string(i + 1) + ", " + std::to_string(j + 1) + ")"));
    }
    attn::matrix M = xt::zeros<attn::real>({n, cols});  // M is (n, cols)
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

/// A C++ value as JavaScript: structs with ATTN_FIELDS as objects (same field names), matrices
/// as arrays of rows, vectors and std::vectors as arrays, maps as objects, numbers as numbers.
template <class T>
val to_val(const T& v) {
    using U = std::decay_t<T>;
    if constexpr (attn::has_fields_v<U>) {
        val out = val::object();
        v.fields([&](const char* name, const auto& value) { out.set(name, to_val(value)); });
        return out;
    } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, const char*>) {
        return val(std::string(v));
    } else if constexpr (std::is_same_v<U, bool>) {
        return val(v);
    } else if constexpr (std::is_arithmetic_v<U>) {
        return val(static_cast<double>(v));
    } else if constexpr (attn::detail::is_string_map<U>::value) {
        val out = val::object();
        for (const auto& [key, value] : v) out.set(key, to_val(value));
        return out;
    } else if constexpr (attn::detail::is_std_vector<U>::value) {
        val out = val::array();
        for (std::size_t k = 0; k < v.size(); ++k)
            out.call<void>("push", to_val(static_cast<typename U::value_type>(v[k])));
        return out;
    } else if constexpr (attn::detail::is_tensor<U>::value) {
        if (v.dimension() != 1 && v.dimension() != 2) throw attn::shape_error("to_val converts vectors and matrices");
        // a mask travels as numbers, 1 = may attend, 0 = masked
        auto cell = [](auto x) { return val(static_cast<double>(x)); };
        val out = val::array();
        if (v.dimension() == 1) {
            for (std::size_t k = 0; k < v.shape(0); ++k) out.call<void>("push", cell(v(k)));
        } else {
            for (std::size_t i = 0; i < v.shape(0); ++i) {
                val row = val::array();
                for (std::size_t j = 0; j < v.shape(1); ++j) row.call<void>("push", cell(v(i, j)));
                out.call<void>("push", row);
            }
        }
        return out;
    } else {
        static_assert(sizeof(U) == 0, "to_val: give this type ATTN_FIELDS");
    }
}

/// A JavaScript value as the C++ parameter type T, checked; `name` is what an error calls it.
template <class T>
T from_val(const val& v, const std::string& name) {
    if constexpr (std::is_same_v<T, attn::matrix>) {
        return to_matrix(v, name);
    } else if constexpr (std::is_same_v<T, attn::matrix64>) {  // float64 inside, float32 cells from the page
        return xt::cast<double>(to_matrix(v, name));
    } else if constexpr (std::is_same_v<T, xt::xtensor<bool, 2>>) {  // a mask: 1 = may attend, 0 = masked
        const attn::matrix m = to_matrix(v, name);
        T M = xt::zeros<bool>(m.shape());
        for (std::size_t k = 0; k < m.size(); ++k) {
            if (m.data()[k] != 0 && m.data()[k] != 1) throw attn::value_error(name + " entries must be 0 or 1");
            M.data()[k] = m.data()[k] != 0;
        }
        return M;
    } else if constexpr (std::is_same_v<T, attn::vector>) {
        return to_vector(v, name);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return to_text(v, name);
    } else if constexpr (std::is_same_v<T, bool>) {
        if (v.typeOf().as<std::string>() != "boolean")
            throw attn::shape_error(name + " must be true or false, not " + v.typeOf().as<std::string>());
        return v.as<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        // whole numbers a double holds exactly; the function checks its own range
        const double x = to_number(v, name), lo = std::is_signed_v<T> ? -9007199254740992.0 : 0.0;
        if (x < lo || x > 9007199254740992.0 || x != std::floor(x)) {
            char buf[48];
            std::snprintf(buf, sizeof buf, "%.9g", x);
            throw attn::value_error(name + " must be a whole number" + (std::is_signed_v<T> ? "" : " (0, 1, 2, …)") +
                                    ", not " + buf);
        }
        return static_cast<T>(x);
    } else if constexpr (std::is_same_v<T, float>) {
        return to_real(v, name);
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(to_number(v, name));
    } else if constexpr (std::is_same_v<T, std::vector<std::uint8_t>>) {  // bytes: a file's contents
        if (!v.instanceof (val::global("Uint8Array"))) throw attn::shape_error(name + " must be a Uint8Array of bytes");
        return emscripten::convertJSArrayToNumberVector<std::uint8_t>(v);  // one copy, not one call per byte
    } else if constexpr (attn::detail::is_std_vector<T>::value) {
        if (!v.isArray()) throw attn::shape_error(name + " must be an array");
        const auto n = v["length"].as<std::size_t>();
        T out;
        for (std::size_t k = 0; k < n; ++k)
            out.push_back(from_val<typename T::value_type>(v[k], name + "[" + std::to_string(k + 1) + "]"));
        return out;
    } else if constexpr (attn::has_fields_v<T>) {
        if (v.typeOf().as<std::string>() != "object" || v.isNull() || v.isArray())
            throw attn::shape_error(name + " must be an object of settings");
        T out{};  // fields the page leaves out keep their defaults
        out.fields([&](const char* field, auto& value) {
            const val x = v[field];
            if (!x.isUndefined()) value = from_val<std::decay_t<decltype(value)>>(x, field);
        });
        return out;
    } else {
        static_assert(sizeof(T) == 0, "from_val: no conversion from JavaScript to this type");
    }
}

namespace detail {
template <class>
using as_val = val;

template <auto F>
struct exported;

/// The wrapper embind sees for F: one `val` per parameter, converted by the parameter's type.
template <class R, class... A, R (*F)(A...)>
struct exported<F> {
    static constexpr std::size_t arity = sizeof...(A);
    /// The parameters' names, set by export_fn. A function-local static, so it is constructed
    /// before export_fn writes it (a static data member of a template is initialised in no
    /// particular order with the EMSCRIPTEN_BINDINGS block that calls export_fn).
    static std::array<std::string, arity>& names() {
        static std::array<std::string, arity> n;
        return n;
    }

    template <std::size_t... I>
    static val run(const std::array<val, arity>& args, std::index_sequence<I...>) {
        if constexpr (std::is_void_v<R>) {
            F(from_val<std::decay_t<A>>(args[I], names()[I])...);
            return val::object();
        } else {
            const R result = F(from_val<std::decay_t<A>>(args[I], names()[I])...);
            if constexpr (attn::has_fields_v<R>) {
                return to_val(result);
            } else {
                val out = val::object();
                out.set("value", to_val(result));
                return out;
            }
        }
    }

    static val call(as_val<A>... args) {
        return guarded([&] { return run({args...}, std::index_sequence_for<A...>{}); });
    }
};
}  // namespace detail

/// Exports F to the page as `js_name`: the arguments are converted (and named in any error) by
/// F's parameter types, F's result comes back as an object with ok: true (a struct's fields, or
/// {value}), and any exception as {ok: false, error}. One name per parameter, in order.
template <auto F, std::size_t N>
void export_fn(const char* js_name, const char* const (&arg_names)[N]) {
    using E = detail::exported<F>;
    static_assert(N == E::arity, "export_fn: give one name per parameter of the function");
    for (std::size_t k = 0; k < N; ++k) E::names()[k] = arg_names[k];
    emscripten::function(js_name, &E::call);
}

/// Exports a function of no arguments.
template <auto F>
void export_fn(const char* js_name) {
    static_assert(detail::exported<F>::arity == 0, "export_fn: give the parameters' names");
    emscripten::function(js_name, &detail::exported<F>::call);
}

}  // namespace web
