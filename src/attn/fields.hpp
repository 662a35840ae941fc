// attn/fields.hpp — a struct names its fields once, and every format reads them from there.
//
// Teaches: nothing about attention; it is how one result struct (say, the steps
// of attention: S, P, O) reaches the walkthrough's JSON (`attnlab example N
// --json`), the page (web/bind/convert.hpp turns it into a JavaScript object)
// and the browser tests (which compare the two) without a hand-written list of
// field names anywhere else:
//
//   struct steps {
//       matrix S, P, O;
//       ATTN_FIELDS(S, P, O)
//   };
//   attn::for_each_field(s, [](const char* name, const auto& value) { ... });
//
// Leaves out: nesting rules and versioning; a field is a number, a bool, a
// string, a matrix or vector, a std::vector or std::map of those, or another
// struct with ATTN_FIELDS.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace attn {
namespace detail {

/// Calls f(name, value) for each of `values`, the names being the comma-separated `names`.
template <class F, class... T>
void visit_fields(const char* names, F&& f, T&... values) {
    std::string name;
    const char* p = names;
    auto next = [&]() -> const std::string& {
        name.clear();
        while (*p == ' ' || *p == ',') ++p;
        while (*p && *p != ',' && *p != ' ') name += *p++;
        return name;
    };
    (f(next().c_str(), values), ...);
}

template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<
    T, std::void_t<decltype(std::declval<const T&>().fields(std::declval<void (*)(const char*, const int&)>()))>>
    : std::true_type {};

/// What a field can be, beside a number, a string or a struct: the kinds to_json (format.hpp)
/// and web::to_val (web/bind/convert.hpp) both walk.
template <class T, class = void>
struct is_tensor : std::false_type {};
template <class T>
struct is_tensor<
    T, std::void_t<decltype(std::declval<const T&>().shape()), decltype(std::declval<const T&>().dimension())>>
    : std::true_type {};
template <class T>
struct is_std_vector : std::false_type {};
template <class T, class A>
struct is_std_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

}  // namespace detail

/// Declares a struct's fields once, in order. Put it inside the struct, after the members.
#define ATTN_FIELDS(...)                                            \
    template <class F>                                              \
    void fields(F&& f) const {                                      \
        ::attn::detail::visit_fields(#__VA_ARGS__, f, __VA_ARGS__); \
    }                                                               \
    template <class F>                                              \
    void fields(F&& f) {                                            \
        ::attn::detail::visit_fields(#__VA_ARGS__, f, __VA_ARGS__); \
    }

/// Whether T declares its fields with ATTN_FIELDS.
template <class T>
inline constexpr bool has_fields_v = detail::has_fields<std::decay_t<T>>::value;

/// f(name, value) for every field of `obj`, in declaration order.
template <class T, class F>
void for_each_field(T& obj, F&& f) {
    obj.fields(std::forward<F>(f));
}

}  // namespace attn
