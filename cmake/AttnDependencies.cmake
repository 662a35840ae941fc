# Third-party headers and tools.
#
# xtensor, xtl, xsimd and Catch2 v2 are header-only Debian packages. Natively
# they sit in /usr/include already; Emscripten's sysroot hides /usr/include (and
# must: its libc++ and glibc's headers do not mix), so both builds see them
# through one build-dir folder of symlinks, added with -isystem.

set(_attn_header_hints /usr/include /usr/local/include)
function(_attn_find_header var header package)
  find_path(${var} ${header} HINTS ${_attn_header_hints} NO_CMAKE_FIND_ROOT_PATH)
  if(NOT ${var})
    message(FATAL_ERROR "Cannot find <${header}>. Install it with:\n"
                        "  sudo apt-get install ${package}\n(or run ./lab setup)")
  endif()
endfunction()

_attn_find_header(ATTN_XTENSOR_DIR xtensor/xtensor.hpp xtensor-dev)
_attn_find_header(ATTN_XTL_DIR     xtl/xtl_config.hpp  xtl-dev)
_attn_find_header(ATTN_XSIMD_DIR   xsimd/xsimd.hpp     libxsimd-dev)
_attn_find_header(ATTN_CATCH2_DIR  catch2/catch.hpp    catch2)
if(NOT EMSCRIPTEN)
  _attn_find_header(ATTN_CLI11_DIR CLI/CLI.hpp         libcli11-dev)  # attnlab's command line
endif()

set(ATTN_THIRD_PARTY_INCLUDE ${CMAKE_BINARY_DIR}/third_party/include)
file(MAKE_DIRECTORY ${ATTN_THIRD_PARTY_INCLUDE})
foreach(pair "xtensor;${ATTN_XTENSOR_DIR}" "xtl;${ATTN_XTL_DIR}"
             "xsimd;${ATTN_XSIMD_DIR}" "catch2;${ATTN_CATCH2_DIR}")
  list(GET pair 0 name)
  list(GET pair 1 dir)
  file(CREATE_LINK ${dir}/${name} ${ATTN_THIRD_PARTY_INCLUDE}/${name} SYMBOLIC)
endforeach()

add_library(attn_third_party INTERFACE)
target_include_directories(attn_third_party SYSTEM INTERFACE ${ATTN_THIRD_PARTY_INCLUDE})

if(EMSCRIPTEN)
  # Tests and page modules must see C++ exceptions (Debian's emcc ignores them by default).
  add_compile_options(-fexceptions)
  add_link_options(-fexceptions)
  # emcc's JS optimizer needs Debian's acorn, which lives in /usr/share/nodejs:
  # set it for every link, whoever runs the build.
  set(CMAKE_CXX_LINKER_LAUNCHER env NODE_PATH=/usr/share/nodejs)
  find_program(ATTN_NODE node REQUIRED NO_CMAKE_FIND_ROOT_PATH)
  # Emscripten 3.1.6's output and Node >= 18's built-in fetch disagree.
  set(ATTN_NODE_RUN ${ATTN_NODE} --no-experimental-fetch)
endif()
