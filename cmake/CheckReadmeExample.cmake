# The README's worked example must be exactly what the code prints, so the
# lesson text cannot drift from the code. The README holds the output between
#   <!-- attnlab lesson <slug> -->  and  <!-- /attnlab -->
# inside a fenced block; this runs `attnlab lesson <slug>` and compares.
#   cmake -DATTNLAB=<attnlab> -DLESSON=<slug> -DREADME=<README.md> -P CheckReadmeExample.cmake
execute_process(COMMAND ${ATTNLAB} lesson ${LESSON}
                RESULT_VARIABLE rc OUTPUT_VARIABLE actual ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "attnlab lesson ${LESSON} failed (${rc}): ${err}")
endif()
file(READ ${README} readme)
string(REGEX MATCH "<!-- attnlab lesson ${LESSON} -->\n```text\n(.*)```\n<!-- /attnlab -->" found "${readme}")
if(NOT found)
  message(FATAL_ERROR "${README} has no block between <!-- attnlab lesson ${LESSON} --> and <!-- /attnlab -->")
endif()
set(expected "${CMAKE_MATCH_1}")
if(NOT expected STREQUAL actual)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${LESSON}.actual.txt "${actual}")
  message(FATAL_ERROR "${README}: the worked example differs from `attnlab lesson ${LESSON}`.\n"
    "--- README ---\n${expected}\n--- attnlab ---\n${actual}\n"
    "Paste the output of `attnlab lesson ${LESSON}` into the README: ./lab readme ${LESSON}")
endif()
message(STATUS "README worked example matches attnlab lesson ${LESSON}")
