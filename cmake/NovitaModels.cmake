# The models the library exports: every `extern const novita_model novita_<stem>_model;` line of
# include/novita/*.h. The unit tests, the fuzz targets and scripts/target-test.sh generate their model
# tables from this list, so a model added to a header is covered without touching them.
#
# novita_exported_models(<out-var> <repository root>) sets <out-var> to the stems ("instance", ...) and,
# at configure time, makes a change to any public header re-run the configure step.
function(novita_exported_models out_var root)
  if(CMAKE_SCRIPT_MODE_FILE)
    file(GLOB headers "${root}/include/novita/*.h")
  else()
    file(GLOB headers CONFIGURE_DEPENDS "${root}/include/novita/*.h")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${headers})
  endif()
  set(stems "")
  foreach(header ${headers})
    file(STRINGS "${header}" decls REGEX "^extern const novita_model novita_[A-Za-z0-9_]+_model;")
    foreach(decl ${decls})
      string(REGEX REPLACE "^extern const novita_model novita_([A-Za-z0-9_]+)_model;.*$" "\\1" stem "${decl}")
      list(APPEND stems ${stem})
    endforeach()
  endforeach()
  set(${out_var} ${stems} PARENT_SCOPE)
endfunction()

# novita_write_model_table(<file> <macro> <repository root> <stems-out-var>) writes one "<macro>(<stem>)"
# line per exported model to <file>, rewriting it only when the list changed (so nothing rebuilds for
# nothing), sets <stems-out-var> to the stems, and fails when the headers declare no model at all.
function(novita_write_model_table file macro root stems_var)
  novita_exported_models(stems "${root}")
  if(NOT stems)
    message(FATAL_ERROR "no novita_*_model declarations found in ${root}/include/novita/*.h")
  endif()
  set(lines "/* Generated from the headers of include/novita by cmake/NovitaModels.cmake: do not edit. */\n")
  foreach(stem ${stems})
    string(APPEND lines "${macro}(${stem})\n")
  endforeach()
  file(WRITE "${file}.tmp" "${lines}")
  configure_file("${file}.tmp" "${file}" COPYONLY)
  set(${stems_var} ${stems} PARENT_SCOPE)
endfunction()

# Script mode, for builds without CMake (scripts/target-test.sh):
#   cmake -DNOVITA_ROOT=<repository root> -DNOVITA_MODEL_FILE=<file> -DNOVITA_MODEL_MACRO=<macro> \
#         -P cmake/NovitaModels.cmake
if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  novita_write_model_table("${NOVITA_MODEL_FILE}" "${NOVITA_MODEL_MACRO}" "${NOVITA_ROOT}" unused)
endif()
