# Runs `conform validate ARGS...` and checks its exit code and output.
#
#   -DCONFORM=path/to/conform  -DARGS=list of arguments after "validate"
#   -DEXPECT_RC=N              expected exit code
#   -DEXPECT_LINES=list        lines that must appear, whole, in stdout
#   -DEXPECT_OUT=list          text that must appear in stdout
#   -DEXPECT_ERR=list          text that must appear in stderr
#   -DINPUT=file               standard input (optional)
#
# Lists come joined with "@@" (see CMakeLists.txt); items must not contain ';'.
foreach(v ARGS EXPECT_LINES EXPECT_OUT EXPECT_ERR)
  string(REPLACE "@@" ";" ${v} "${${v}}")
endforeach()
if(NOT EXISTS "${CONFORM}")
  message(FATAL_ERROR "no conform binary at ${CONFORM}")
endif()
set(input_args)
if(INPUT)
  set(input_args INPUT_FILE ${INPUT})
endif()
execute_process(COMMAND ${CONFORM} validate ${ARGS}
                ${input_args}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(report "conform validate ${ARGS}\n--- exit ${rc}\n--- stdout\n${out}--- stderr\n${err}")
if(NOT rc STREQUAL "${EXPECT_RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}\n${report}")
endif()
foreach(line IN LISTS EXPECT_LINES)
  string(FIND "\n${out}" "\n${line}\n" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "stdout lacks the line:\n${line}\n${report}")
  endif()
endforeach()
foreach(text IN LISTS EXPECT_OUT)
  string(FIND "${out}" "${text}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "stdout lacks:\n${text}\n${report}")
  endif()
endforeach()
foreach(text IN LISTS EXPECT_ERR)
  string(FIND "${err}" "${text}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "stderr lacks:\n${text}\n${report}")
  endif()
endforeach()
